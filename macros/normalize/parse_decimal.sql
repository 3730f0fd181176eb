{#- Parses decimal text ("123.45") into numeric(18, 2); blank or unparseable text gives null. -#}
{% macro parse_decimal(column) -%}
    {{ try_cast_as("nullif(trim(" ~ column ~ "), '')", 'numeric(18,2)') }}
{%- endmacro %}
