{#- segment_show(value): a value of a definition as an error message shows it: text in double
    quotes as written, anything else as JSON (without JSON's HTML escapes of <, > and &). -#}
{% macro segment_show(value) -%}
    {%- if value is string -%}
        {{ return('"' ~ value ~ '"') }}
    {%- endif -%}
    {{ return(tojson(value) | replace('\\u003c', '<') | replace('\\u003e', '>') | replace('\\u0026', '&')
        | replace('\\u0027', "'")) }}
{%- endmacro %}
