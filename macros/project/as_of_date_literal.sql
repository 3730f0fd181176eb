{#- as_of_date_literal(): the var as_of_date as a SQL date literal, or none when the var is unset.
    Fails the run with a clear message when the var is not a real date (validate_vars() reports it
    first, with every other bad var: at parse time a bad value is let through for that). -#}
{% macro as_of_date_literal() -%}
    {%- set value = var('as_of_date') -%}
    {%- if value is none or value | string | trim == '' -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set text = value | string | trim -%}
    {%- if not is_calendar_date(text) and not execute -%}
        {{ return(none) }}
    {%- elif not is_calendar_date(text) -%}
        {{ exceptions.raise_compiler_error("var as_of_date must be a real calendar date like 2025-12-31 (got '" ~ text ~ "'). Leave it unset to use the data's latest date.") }}
    {%- endif -%}
    {{ return("cast('" ~ text ~ "' as date)") }}
{%- endmacro %}
