{#- to_utc_timestamp(expr): timestamp with time zone (an instant) -> naive timestamp holding the
    UTC wall-clock time, independent of the session time zone.
    Spark has only session-zone timestamps: to_utc_timestamp(x, current_timezone()) shifts x so that
    it reads as the UTC wall-clock time in the session zone (a no-op when the session zone is UTC,
    which is what this project runs Spark with). -#}
{% macro to_utc_timestamp(expr) -%}
    {{ return(adapter.dispatch('to_utc_timestamp', 'customer_segmentation')(expr)) }}
{%- endmacro %}

{% macro default__to_utc_timestamp(expr) -%}
    timezone('UTC', {{ expr }})
{%- endmacro %}

{% macro postgres__to_utc_timestamp(expr) -%}
    (({{ expr }}) at time zone 'UTC')
{%- endmacro %}

{% macro spark__to_utc_timestamp(expr) -%}
    to_utc_timestamp({{ expr }}, current_timezone())
{%- endmacro %}
