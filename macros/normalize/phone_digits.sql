{#- The digits of a phone number as text ("(650) 555-1212" -> "6505551212"); feed it to normalize_phone. -#}
{% macro phone_digits(phone) -%}
    {{ regexp_replace_all(phone, "'[^0-9]'", "''") }}
{%- endmacro %}
