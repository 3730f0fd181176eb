{#- ref(): dbt's ref, without the database (catalog) part on DuckDB. A DuckDB catalog is named after
    the warehouse file, and a view stores the names it reads: with the catalog in them, the stg_ views
    break when the file is copied or renamed ("Catalog warehouse does not exist"). Without it, DuckDB
    binds them in the view's own catalog, whatever the file is called. Other engines: unchanged. -#}
{% macro ref() -%}
    {%- set relation = builtins.ref(*varargs, **kwargs) -%}
    {%- if target.type == 'duckdb' and relation.include is defined -%}
        {{ return(relation.include(database=false)) }}
    {%- endif -%}
    {{ return(relation) }}
{%- endmacro %}
