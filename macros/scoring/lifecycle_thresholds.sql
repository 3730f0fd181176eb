{#- lifecycle_thresholds(): the lifecycle vars as a dict, after checking that they describe a valid
    ladder (new < at_risk <= dormant < churned, rhythm floor <= dormant, reactivation window <=
    dormant, positive multiplier). A bad combination stops the run with a message naming the vars. -#}
{% macro lifecycle_thresholds() -%}
    {%- set t = {
        'new': checked_var('lifecycle_new_days') | int,
        'at_risk': checked_var('lifecycle_at_risk_days') | int,
        'dormant': checked_var('lifecycle_dormant_days') | int,
        'churned': checked_var('lifecycle_churned_days') | int,
        'rhythm_min_orders': checked_var('lifecycle_rhythm_min_orders') | int,
        'rhythm_multiplier': checked_var('lifecycle_rhythm_multiplier') | float,
        'rhythm_min_at_risk': checked_var('lifecycle_rhythm_min_at_risk_days') | int,
        'reactivated': checked_var('lifecycle_reactivated_days') | int,
    } -%}
    {%- if not (0 < t.new < t.at_risk <= t.dormant < t.churned) -%}
        {{ exceptions.raise_compiler_error("Lifecycle vars must satisfy 0 < lifecycle_new_days < lifecycle_at_risk_days <= lifecycle_dormant_days < lifecycle_churned_days (got " ~ t.new ~ ", " ~ t.at_risk ~ ", " ~ t.dormant ~ ", " ~ t.churned ~ ").") }}
    {%- endif -%}
    {%- if not (0 < t.rhythm_min_at_risk <= t.dormant) -%}
        {{ exceptions.raise_compiler_error("lifecycle_rhythm_min_at_risk_days must be in 1 .. lifecycle_dormant_days (got " ~ t.rhythm_min_at_risk ~ ").") }}
    {%- endif -%}
    {%- if t.rhythm_min_orders < 2 or t.rhythm_multiplier <= 0 or not (1 <= t.reactivated <= t.dormant) -%}
        {{ exceptions.raise_compiler_error("lifecycle_rhythm_min_orders must be >= 2, lifecycle_rhythm_multiplier > 0 and lifecycle_reactivated_days in 1 .. lifecycle_dormant_days.") }}
    {%- endif -%}
    {{ return(t) }}
{%- endmacro %}
