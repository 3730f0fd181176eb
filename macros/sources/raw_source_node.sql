{#- raw_source_node(source_name, table_name): the graph node of one of our raw source tables
    (columns with their contract data_type, schema, identifier). Execute time only. -#}
{% macro raw_source_node(source_name, table_name) -%}
    {%- set unique_id = 'source.' ~ project_name ~ '.' ~ source_name ~ '.' ~ table_name -%}
    {%- set node = graph.sources.get(unique_id) -%}
    {%- if node is none -%}
        {{ exceptions.raise_compiler_error("No source table " ~ source_name ~ "." ~ table_name ~ " is declared in models/staging/*/_*__sources.yml.") }}
    {%- endif -%}
    {{ return(node) }}
{%- endmacro %}
