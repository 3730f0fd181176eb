{#- as_of_date_literal(): the var as_of_date as a SQL date literal, or none when the var is unset
    (null or blank). A value that is not a real calendar date stops the run through checked_var(),
    with every other bad var. -#}
{% macro as_of_date_literal() -%}
    {%- set value = var('as_of_date') -%}
    {%- if value is none or value | string | trim == '' -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return("cast('" ~ checked_var('as_of_date') | string | trim ~ "' as date)") }}
{%- endmacro %}
