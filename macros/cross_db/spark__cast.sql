{#- dbt.cast on Spark, for the type names our contracts use as DuckDB and PostgreSQL read them: a
    bare `varchar` (or `char`, `text`) is Spark's `string` (Spark requires a length on varchar), and
    `double precision` is `double`. dbt checks a contract by casting null to each declared type,
    through this macro.
    Used through dbt's dispatch (dbt_project.yml: dispatch, macro_namespace dbt). -#}
{% macro spark__cast(field, type) -%}
    {%- set spark_names = {'varchar': 'string', 'char': 'string', 'text': 'string',
                           'character varying': 'string', 'double precision': 'double'} -%}
    {%- set bare = type | string | trim | lower -%}
    cast({{ field }} as {{ spark_names.get(bare, type) }})
{%- endmacro %}
