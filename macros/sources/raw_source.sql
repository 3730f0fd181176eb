{#- raw_source(source_name, table_name): what a base model reads instead of source().
    - The user has the table (var raw_sources): the source relation; where a raw column is numeric
      but the source contract declares text (e.g. money written as DOUBLE by pandas), a subquery that
      casts it to text (check_raw_sources() has already rejected every other type mismatch).
    - The user does not have it: an empty, typed relation with the contract's columns, so every
      model downstream builds (empty) on purpose rather than failing.
    In a dbt unit test (no sources in the graph) it is source() itself: the test's fixture rows.
    source() is always called, so lineage and `dbt docs` stay whole. Use it with an alias:
    `from {{ raw_source('shopify', 'orders') }} as raw_rows`. -#}
{% macro raw_source(source_name, table_name) -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- if not execute or graph.get('sources') is none -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- set node = raw_source_node(source_name, table_name) -%}
    {%- if not raw_source_enabled(source_name, table_name) -%}
        {{ return('(' ~ empty_raw_source(node) ~ ')') }}
    {%- endif -%}
    {%- set found_columns = raw_source_found_columns(node) -%}
    {%- set casts = raw_source_text_casts(node, found_columns) -%}
    {%- if not casts -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- set columns = [] -%}
    {%- for column in found_columns -%}
        {%- set quoted = adapter.quote(column.name) -%}
        {%- if column.name | lower in casts -%}
            {%- do columns.append('cast(' ~ quoted ~ ' as ' ~ dbt.type_string() ~ ') as ' ~ quoted) -%}
        {%- else -%}
            {%- do columns.append(quoted) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return('(select ' ~ columns | join(', ') ~ ' from ' ~ relation ~ ')') }}
{%- endmacro %}
