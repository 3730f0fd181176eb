{#- regexp_replace_all(string, pattern, replacement): replace every match (not only the first).
    Arguments are SQL expressions, so quote literals: regexp_replace_all('phone', "'[^0-9]'", "''").
    Back-references in the replacement: \1 on DuckDB and PostgreSQL, $1 on Spark. -#}
{% macro regexp_replace_all(string, pattern, replacement) -%}
    {{ return(adapter.dispatch('regexp_replace_all', 'customer_segmentation')(string, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regexp_replace_all(string, pattern, replacement) -%}
    regexp_replace({{ string }}, {{ pattern }}, {{ replacement }}, 'g')
{%- endmacro %}

{% macro spark__regexp_replace_all(string, pattern, replacement) -%}
    regexp_replace({{ string }}, {{ pattern }}, {{ replacement }})
{%- endmacro %}
