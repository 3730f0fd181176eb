{#- to_json_text(relation_alias): the whole current row of a CTE / table alias as JSON text, e.g.
    the raw payload kept for lineage and tie-breaks. Key order follows the columns; value formats
    differ by engine (timestamps: DuckDB '2024-01-01 10:00:00', PostgreSQL '2024-01-01T10:00:00'),
    so compare payloads within one engine only. -#}
{% macro to_json_text(relation_alias) -%}
    {{ return(adapter.dispatch('to_json_text', 'customer_segmentation')(relation_alias)) }}
{%- endmacro %}

{% macro default__to_json_text(relation_alias) -%}
    cast(to_json({{ relation_alias }}) as varchar)
{%- endmacro %}

{% macro postgres__to_json_text(relation_alias) -%}
    {#- alias.* (not the bare alias) so a column that happens to share the alias's name cannot win -#}
    cast(row_to_json({{ relation_alias }}.*) as text)
{%- endmacro %}

{% macro spark__to_json_text(relation_alias) -%}
    to_json(struct({{ relation_alias }}.*))
{%- endmacro %}
