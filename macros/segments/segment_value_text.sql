{#- segment_value_text(expression, data_type): the value as text for a membership reason, the same
    on every engine: money (decimal) to the cent, doubles to 4 decimals, booleans as true / false,
    null as 'null'. -#}
{% macro segment_value_text(expression, data_type) -%}
    {%- set text_type = dbt.type_string() -%}
    {%- if data_type == 'decimal' -%}
        {%- set text = 'cast(cast(' ~ expression ~ ' as decimal(28, 2)) as ' ~ text_type ~ ')' -%}
    {%- elif data_type == 'double' -%}
        {%- set text = 'cast(cast(' ~ expression ~ ' as decimal(28, 4)) as ' ~ text_type ~ ')' -%}
    {%- elif data_type == 'boolean' -%}
        {%- set text = "case when " ~ expression ~ " then 'true' when not " ~ expression ~ " then 'false' end" -%}
    {%- else -%}
        {%- set text = 'cast(' ~ expression ~ ' as ' ~ text_type ~ ')' -%}
    {%- endif -%}
    {{ return("coalesce(" ~ text ~ ", 'null')") }}
{%- endmacro %}
