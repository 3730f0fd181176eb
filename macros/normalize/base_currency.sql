{#- base_currency(): var base_currency, checked against its rule (an ISO 4217 code of three upper-case
    letters, var_rules()) before it is pasted into SQL literals. -#}
{% macro base_currency() -%}
    {{ return(checked_var('base_currency')) }}
{%- endmacro %}
