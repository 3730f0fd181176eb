{#- Schema that holds the Postgres safe_cast_* functions (see create_safe_cast_functions):
    "<target schema>_udf", e.g. analytics_udf, so every target gets its own copy and nothing needs
    CREATE on the public schema (PostgreSQL 15+ no longer grants it). Override with the var
    safe_cast_function_schema. -#}
{% macro safe_cast_function_schema() -%}
    {{ return(var('safe_cast_function_schema', target.schema ~ '_udf')) }}
{%- endmacro %}
