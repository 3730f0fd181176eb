{#- on-run-start hook, before check_raw_sources(). Makes every raw table of the source contracts a
    relation raw_<system>.<table> that analysts and dbt unit tests (which read a source's columns
    from it) can query:
    - DuckDB, a table the user has (var raw_sources): a view over its Parquet files (the models read
      the files through each source's external_location); no files, no view, and the check reports it;
    - any engine, a table the user does not have: an empty view with the contract's columns and
      types, unless a relation of that name already exists (never replace a user's table).
    Returns the statements; dbt runs them. -#}
{% macro register_raw_sources() -%}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set statements = [] -%}
    {%- for node in graph.sources.values() | sort(attribute='unique_id') if node.package_name == project_name -%}
        {%- set view = adapter.dispatch('raw_source_view', 'customer_segmentation')(node) -%}
        {%- set name = node.schema ~ '.' ~ node.identifier -%}
        {%- if view is not none -%}
            {%- do statements.append('create schema if not exists ' ~ node.schema) -%}
            {%- do statements.append('create or replace view ' ~ name ~ ' as ' ~ view) -%}
        {%- elif target.type == 'duckdb' -%}
            {#- no files: drop the view an earlier run may have put over files that are gone -#}
            {%- do statements.append('drop view if exists ' ~ name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(statements | join(';\n')) }}
{%- endmacro %}

{#- raw_source_view(node): the query of the view register_raw_sources() puts at raw_<system>.<table>,
    or none when there should be none. -#}
{% macro default__raw_source_view(node) -%}
    {%- if raw_source_enabled(node.source_name, node.name) or raw_source_found_columns(node) -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(empty_raw_source(node)) }}
{%- endmacro %}

{% macro duckdb__raw_source_view(node) -%}
    {%- if not raw_source_enabled(node.source_name, node.name) -%}
        {{ return(empty_raw_source(node)) }}
    {%- endif -%}
    {%- set pattern = raw_source_location(node) -%}
    {%- set n_files = run_query("select count(*) from glob('" ~ pattern ~ "')").columns[0].values()[0] -%}
    {%- if n_files == 0 -%}
        {{ return(none) }}
    {%- endif -%}
    {#- source() renders the external location with vars and env vars resolved -#}
    {{ return('select * from ' ~ source(node.source_name, node.name)) }}
{%- endmacro %}
