{#- Parses ISO 8601 text (with or without a UTC offset; without one it is read as UTC) into a
    naive UTC timestamp; unparseable text gives null, never an error. -#}
{% macro parse_timestamp_utc(column) -%}
    {{ to_utc_timestamp(try_cast_as("nullif(trim(" ~ column ~ "), '')", "timestamptz")) }}
{%- endmacro %}
