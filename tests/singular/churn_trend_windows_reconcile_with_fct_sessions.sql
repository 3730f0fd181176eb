-- Σ over customers of the engagement trend window sessions of customer_features = the same counts
-- recomputed from fct_sessions: non-bot sessions with a customer_key, session_date in
-- (as_of_date − R days, as_of_date] (recent) and (as_of_date − R − P days, as_of_date − R days] (prior),
-- R = churn_recent_window_days, P = churn_prior_window_days.
{%- set recent_days = var('churn_recent_window_days') %}
{%- set prior_end_days = recent_days + var('churn_prior_window_days') %}
with

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

sessions as (
    select
        fct_sessions.session_id,
        fct_sessions.session_date,
        as_of.as_of_date
    from {{ ref('fct_sessions') }} as fct_sessions
    cross join as_of
    where
        not fct_sessions.is_bot
        and fct_sessions.customer_key is not null
        and fct_sessions.session_date <= as_of.as_of_date
),

expected as (
    {%- set recent_start = dbt.dateadd('day', -recent_days, 'as_of_date') %}
    {%- set prior_start = dbt.dateadd('day', -prior_end_days, 'as_of_date') %}
    select
        count(case when session_date > {{ recent_start }} then session_id end) as n_recent,
        count(
            case when session_date > {{ prior_start }} and session_date <= {{ recent_start }} then session_id end
        ) as n_prior
    from sessions
),

actual as (
    select
        coalesce(sum(n_sessions_recent_window), 0) as n_recent,
        coalesce(sum(n_sessions_prior_window), 0) as n_prior
    from {{ ref('customer_features') }}
)

select
    cast(expected.n_recent as {{ dbt.type_bigint() }}) as expected_recent,
    cast(actual.n_recent as {{ dbt.type_bigint() }}) as actual_recent,
    cast(expected.n_prior as {{ dbt.type_bigint() }}) as expected_prior,
    cast(actual.n_prior as {{ dbt.type_bigint() }}) as actual_prior
from expected
cross join actual
where expected.n_recent <> actual.n_recent or expected.n_prior <> actual.n_prior
