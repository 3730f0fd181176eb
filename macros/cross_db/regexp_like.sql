{#- regexp_like(string, pattern): true when the pattern matches anywhere in the string (anchor
    with ^...$ for a full match); NULL when either side is NULL. Arguments are SQL expressions. -#}
{% macro regexp_like(string, pattern) -%}
    {{ return(adapter.dispatch('regexp_like', 'customer_segmentation')(string, pattern)) }}
{%- endmacro %}

{% macro default__regexp_like(string, pattern) -%}
    regexp_matches({{ string }}, {{ pattern }})
{%- endmacro %}

{% macro postgres__regexp_like(string, pattern) -%}
    (({{ string }}) ~ ({{ pattern }}))
{%- endmacro %}

{% macro spark__regexp_like(string, pattern) -%}
    (({{ string }}) rlike ({{ pattern }}))
{%- endmacro %}
