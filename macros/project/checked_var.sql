{#- checked_var(name): var(name) after checking it against its rule in var_rules(). For vars that
    Jinja computes with while dbt parses the project (before the on-run-start hook validate_vars()
    can run): a wrong value stops with validate_vars()'s message, naming every bad var, instead of
    a Jinja type error. -#}
{% macro checked_var(name) -%}
    {%- set value = var(name) -%}
    {%- set problem = var_problem(value, var_rules()[name]) -%}
    {%- if problem -%}
        {#- validate_vars() applies the same rule to this var, so it raises, listing every bad var -#}
        {%- do validate_vars() -%}
    {%- endif -%}
    {{ return(value) }}
{%- endmacro %}
