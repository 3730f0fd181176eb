{#- Parses decimal text ("123.45") into numeric(18, 2); blank or unparseable text gives null. This is
    the precision the exports write (cents), not a storage type, so not money_type(): amounts are
    widened to money_type(wide=true) when converted (convert_to_base). -#}
{% macro parse_decimal(column) -%}
    {{ try_cast_as("nullif(trim(" ~ column ~ "), '')", 'numeric(18,2)') }}
{%- endmacro %}
