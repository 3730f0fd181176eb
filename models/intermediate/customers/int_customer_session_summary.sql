-- One row per person with at least one web session (not a bot) dated on or before the as-of date:
-- the session counts dim_customers and customer_features share.
with

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

sessions as (
    select
        int_sessions_resolved.customer_key,
        int_sessions_resolved.started_at,
        int_sessions_resolved.session_date
    from {{ ref('int_sessions_resolved') }} as int_sessions_resolved
    cross join as_of
    where
        not int_sessions_resolved.is_bot
        and int_sessions_resolved.customer_key is not null
        and int_sessions_resolved.session_date <= as_of.as_of_date
),

final as (
    select
        customer_key,
        min(started_at) as first_session_at,
        max(session_date) as last_session_date,
        count(*) as n_sessions
    from sessions
    group by customer_key
)

select * from final
