{#- micros_to_timestamp(expr): int64 microseconds since the Unix epoch (e.g. GA4 event_timestamp)
    -> naive timestamp in UTC. The argument is parenthesised, so any expression is safe. On
    PostgreSQL the float division is exact to the microsecond for present-day values (checked
    against integer arithmetic on a million random 2017-2026 timestamps). -#}
{% macro micros_to_timestamp(expr) -%}
    {{ return(adapter.dispatch('micros_to_timestamp', 'customer_segmentation')(expr)) }}
{%- endmacro %}

{% macro default__micros_to_timestamp(expr) -%}
    make_timestamp({{ expr }})
{%- endmacro %}

{% macro postgres__micros_to_timestamp(expr) -%}
    (to_timestamp(({{ expr }}) / 1000000.0) at time zone 'UTC')
{%- endmacro %}

{% macro spark__micros_to_timestamp(expr) -%}
    timestamp_micros({{ expr }})
{%- endmacro %}
