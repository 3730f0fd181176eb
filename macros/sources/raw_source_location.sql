{#- raw_source_location(node): where a raw table is read from, for messages: the Parquet file pattern
    on DuckDB, the schema-qualified table elsewhere. -#}
{% macro raw_source_location(node) -%}
    {{ return(adapter.dispatch('raw_source_location', 'customer_segmentation')(node)) }}
{%- endmacro %}

{% macro default__raw_source_location(node) -%}
    {{ return(node.schema ~ '.' ~ node.identifier) }}
{%- endmacro %}

{% macro duckdb__raw_source_location(node) -%}
    {%- set location = source(node.source_name, node.name) | string -%}
    {{ return(location.split("'")[1] if "'" in location else location) }}
{%- endmacro %}
