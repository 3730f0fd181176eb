{#- as_of_date_literal(): the var as_of_date as a SQL date literal, or none when the var is unset.
    Fails the run with a clear message when the var is not an ISO date (YYYY-MM-DD). -#}
{% macro as_of_date_literal() -%}
    {%- set value = var('as_of_date') -%}
    {%- if value is none or value | string | trim == '' -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set text = value | string | trim -%}
    {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', text) -%}
        {{ exceptions.raise_compiler_error("var as_of_date must be an ISO date like 2025-12-31 (got '" ~ text ~ "'). Leave it unset to use the data's latest date.") }}
    {%- endif -%}
    {%- set parts = text.split('-') -%}
    {%- if parts[1] | int < 1 or parts[1] | int > 12 or parts[2] | int < 1 or parts[2] | int > 31 -%}
        {{ exceptions.raise_compiler_error("var as_of_date '" ~ text ~ "' is not a valid calendar date.") }}
    {%- endif -%}
    {{ return("cast('" ~ text ~ "' as date)") }}
{%- endmacro %}
