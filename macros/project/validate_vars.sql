{#- on-run-start hook (first): checks every documented var against var_rules() and the rules that
    tie several vars together, before anything runs. All problems are reported in one message, each
    naming the var, what it must be and what it is. -#}
{% macro validate_vars() -%}
    {%- set problems = [] -%}
    {%- for name, rule in var_rules().items() -%}
        {%- set problem = var_problem(var(name), rule) -%}
        {%- if problem -%}
            {%- do problems.append("var " ~ name ~ " must be " ~ problem ~ " (got " ~ (var(name) | tojson) ~ ")") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not problems -%}
        {%- if var('max_customer_age_years') <= var('min_customer_age_years') -%}
            {%- do problems.append("var max_customer_age_years must be above min_customer_age_years") -%}
        {%- endif -%}
        {%- if var('session_start_grace_seconds') >= var('session_inactivity_timeout_minutes') * 60 -%}
            {%- do problems.append("var session_start_grace_seconds must be below session_inactivity_timeout_minutes") -%}
        {%- endif -%}
        {%- if not (0 < var('churn_band_medium_min') < var('churn_band_high_min') < var('churn_band_critical_min') <= 1) -%}
            {%- do problems.append("vars churn_band_medium_min < churn_band_high_min < churn_band_critical_min must rise within (0, 1]") -%}
        {%- endif -%}
        {%- if var('churn_session_decline_weight') + var('churn_email_decline_weight') <= 0 -%}
            {%- do problems.append("vars churn_session_decline_weight + churn_email_decline_weight must be above 0") -%}
        {%- endif -%}
    {%- endif -%}
    {%- if problems -%}
        {{ exceptions.raise_compiler_error(
            "Invalid vars (dbt_project.yml, or --vars):\n  - " ~ problems | join("\n  - ")
            ~ "\nEach var is documented, with its unit, in dbt_project.yml."
        ) }}
    {%- endif -%}
    {%- do lifecycle_thresholds() -%}
    {{ return('') }}
{%- endmacro %}
