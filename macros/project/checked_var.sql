{#- checked_var(name): var(name) after checking it against its rule in var_rules(). For vars that
    Jinja computes with while dbt parses the project (before the on-run-start hook validate_vars()
    can run): a wrong value stops with validate_vars()'s message, naming every bad var, instead of
    a Jinja type error. -#}
{% macro checked_var(name) -%}
    {%- set value = var(name) -%}
    {%- set problem = var_problem(value, var_rules()[name]) -%}
    {%- if problem -%}
        {%- do validate_vars() -%}
        {{ exceptions.raise_compiler_error("var " ~ name ~ " must be " ~ problem ~ " (got " ~ (value | tojson) ~ "). Each var is documented, with its unit, in dbt_project.yml.") }}
    {%- endif -%}
    {{ return(value) }}
{%- endmacro %}
