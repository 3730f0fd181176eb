{#- analyze_table(): post-hook that refreshes planner statistics of a model built as a table.
    PostgreSQL has none for a table created a moment ago (autovacuum analyzes it only up to a minute
    later), so the tests dbt runs right after plan joins on guesses: with filters such as
    `_quarantine_reason is null and _dedupe_rank = 1` it expects a handful of rows, picks a nested
    loop, and a relationships test on 100k-row tables takes minutes instead of milliseconds.
    Wire it once in dbt_project.yml:  models: +post-hook: "{{ analyze_table() }}"
    Renders nothing for views, ephemeral models and on other engines (DuckDB, Spark). -#}
{% macro analyze_table() -%}
    {{ return(adapter.dispatch('analyze_table', 'customer_segmentation')()) }}
{%- endmacro %}

{% macro default__analyze_table() -%}
{%- endmacro %}

{% macro postgres__analyze_table() -%}
    {%- if model is defined and config.get('materialized') in ('table', 'incremental', 'snapshot', 'seed') -%}
        analyze {{ this }}
    {%- endif -%}
{%- endmacro %}
