{#- string_literal(text): a SQL string literal holding text exactly (quotes doubled; on Spark, whose
    literals treat backslash as an escape, backslashes doubled too). -#}
{% macro string_literal(text) -%}
    {{ return(adapter.dispatch('string_literal', 'customer_segmentation')(text)) }}
{%- endmacro %}

{% macro default__string_literal(text) -%}
    '{{ text | string | replace("'", "''") }}'
{%- endmacro %}

{% macro spark__string_literal(text) -%}
    '{{ text | string | replace("\\", "\\\\") | replace("'", "\\'") }}'
{%- endmacro %}
