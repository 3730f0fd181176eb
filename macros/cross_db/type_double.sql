{#- type_double(): an 8-byte floating point type on every engine. dbt.type_float() is `float`, which
    is 4 bytes on DuckDB and Spark but 8 bytes on PostgreSQL, so rates would differ between engines. -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'customer_segmentation')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}
