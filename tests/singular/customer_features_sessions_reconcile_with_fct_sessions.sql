-- Σ over customers of sessions and page views (each window, and lifetime sessions) and of the churn
-- trend window sessions = the same figures recomputed from fct_sessions: non-bot sessions with a
-- customer_key and session_date in (as_of_date − N days, as_of_date]; for the trend windows
-- (as_of_date − R days, as_of_date] (recent) and (as_of_date − R − P days, as_of_date − R days]
-- (prior), R = churn_recent_window_days, P = churn_prior_window_days.
{%- set windows = fixed_key_var_items('customer_features_web_windows_days') %}
{%- set recent_days = checked_var('churn_recent_window_days') %}
{%- set prior_end_days = recent_days + checked_var('churn_prior_window_days') %}
{%- set measures = ['n_sessions', 'n_sessions_recent_window', 'n_sessions_prior_window'] %}
{%- for window, days in windows %}
    {%- do measures.append('n_sessions_in_' ~ window ~ '_window') %}
    {%- do measures.append('n_page_views_in_' ~ window ~ '_window') %}
{%- endfor %}
with

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

sessions as (
    select
        fct_sessions.session_id,
        fct_sessions.session_date,
        fct_sessions.n_page_views,
        as_of.as_of_date
    from {{ ref('fct_sessions') }} as fct_sessions
    cross join as_of
    where
        not fct_sessions.is_bot
        and fct_sessions.customer_key is not null
        and fct_sessions.session_date <= as_of.as_of_date
),

expected as (
    select
        {%- for window, days in windows %}
            {%- set in_window = "session_date > " ~ dbt.dateadd('day', -days, 'as_of_date') %}
            count(case when {{ in_window }} then session_id end) as n_sessions_in_{{ window }}_window,
            coalesce(sum(case when {{ in_window }} then n_page_views end), 0) as n_page_views_in_{{ window }}_window,
        {%- endfor %}
        {%- set recent_start = dbt.dateadd('day', -recent_days, 'as_of_date') %}
        {%- set prior_start = dbt.dateadd('day', -prior_end_days, 'as_of_date') %}
        count(case when session_date > {{ recent_start }} then session_id end) as n_sessions_recent_window,
        count(
            case when session_date > {{ prior_start }} and session_date <= {{ recent_start }} then session_id end
        ) as n_sessions_prior_window,
        count(session_id) as n_sessions
    from sessions
),

actual as (
    select
        {%- for measure in measures %}
            coalesce(sum({{ measure }}), 0) as {{ measure }},
        {%- endfor %}
        count(*) as n_customers
    from {{ ref('customer_features') }}
),

comparison as (
    {%- for measure in measures %}
        select
            '{{ measure }}' as measure,
            cast(expected.{{ measure }} as {{ dbt.type_bigint() }}) as expected_value,
            cast(actual.{{ measure }} as {{ dbt.type_bigint() }}) as actual_value
        from expected
        cross join actual
        {{ "union all" if not loop.last }}
    {%- endfor %}
)

select *
from comparison
where expected_value <> actual_value
