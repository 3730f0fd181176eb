-- One row per person of int_customer_spine with their web features as of the as-of date: sessions
-- and page views per web window, engagement trend windows, conversion, content and abandoned carts,
-- from the resolved non-bot sessions (int_sessions_resolved); lifetime sessions from
-- int_customer_session_summary.
{%- set web_windows = fixed_key_var_items('customer_features_web_windows_days') %}
{%- set engagement_window = checked_var('customer_features_web_engagement_window_days') %}
{%- set cart_window = checked_var('customer_features_cart_window_days') %}
{%- set trend_recent_days = checked_var('churn_recent_window_days') %}
{%- set trend_prior_end_days = trend_recent_days + checked_var('churn_prior_window_days') %}
{%- set count_type = dbt.type_bigint() %}
{%- set rate_type = type_double() %}
{%- set money = money_type(wide=true) %}
with

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

customers as (
    select customer_key
    from {{ ref('int_customer_spine') }}
),

order_summary as (
    select
        customer_key,
        last_order_at
    from {{ ref('int_customer_order_summary') }}
),

session_summary as (
    select
        customer_key,
        n_sessions
    from {{ ref('int_customer_session_summary') }}
),

sessions as (
    select
        customer_key,
        started_at,
        session_date,
        n_page_views,
        n_content_page_views,
        n_add_to_cart,
        add_to_cart_amount,
        is_converted
    from {{ ref('int_sessions_resolved') }}
    where not is_bot and customer_key is not null
),

-- sessions: one pass for counts and windows
sessions_dated as (
    {%- set days_ago = dbt.datediff('sessions.session_date', 'as_of.as_of_date', 'day') %}
    select
        sessions.*,
        {{ days_ago }} as days_ago
    from sessions
    cross join as_of
    where sessions.session_date <= as_of.as_of_date
),

session_features as (
    select
        customer_key,
        {%- for window, days in web_windows %}
            count(case when days_ago < {{ days }} then customer_key end) as n_sessions_in_{{ window }}_window,
            sum(case when days_ago < {{ days }} then n_page_views else 0 end) as n_page_views_in_{{ window }}_window,
        {%- endfor %}
        count(case when days_ago < {{ engagement_window }} then customer_key end) as n_sessions_engagement_window,
        count(
            case when days_ago < {{ engagement_window }} and is_converted then customer_key end
        ) as n_converted_sessions_engagement_window,
        sum(
            case when days_ago < {{ engagement_window }} then n_content_page_views else 0 end
        ) as n_content_page_views_engagement_window,
        count(
            case when days_ago < {{ engagement_window }} and n_content_page_views > 0 then customer_key end
        ) as n_content_sessions_engagement_window,
        -- engagement trend windows (churn vars), compared as per-day rates by customer_churn_risk
        count(case when days_ago < {{ trend_recent_days }} then customer_key end) as n_sessions_recent_window,
        count(
            case
                when days_ago >= {{ trend_recent_days }} and days_ago < {{ trend_prior_end_days }} then customer_key
            end
        ) as n_sessions_prior_window,
        min(days_ago) as days_since_last_session,
        max(case when is_converted then started_at end) as last_converted_session_started_at
    from sessions_dated
    group by customer_key
),

-- A cart session is abandoned when neither it nor anything later turned into a purchase: no
-- converting session started at or after it and no counted order created at or after it, up to
-- the as-of date. Only the last N days of sessions are read, against per-customer latest purchases.
cart_sessions as (
    select
        sessions_dated.customer_key,
        sessions_dated.n_add_to_cart,
        sessions_dated.add_to_cart_amount
    from sessions_dated
    left join session_features
        on sessions_dated.customer_key = session_features.customer_key
    left join order_summary
        on sessions_dated.customer_key = order_summary.customer_key
    where
        sessions_dated.days_ago < {{ cart_window }}
        and sessions_dated.n_add_to_cart > 0
        and coalesce(session_features.last_converted_session_started_at < sessions_dated.started_at, true)
        and coalesce(order_summary.last_order_at < sessions_dated.started_at, true)
),

cart_features as (
    select
        customer_key,
        count(*) as n_abandoned_cart_sessions,
        sum(n_add_to_cart) as n_abandoned_add_to_carts,
        sum(coalesce(add_to_cart_amount, 0)) as abandoned_cart_amount
    from cart_sessions
    group by customer_key
),

final as (
    select
        cast(customers.customer_key as {{ dbt.type_string() }}) as customer_key,
        cast(as_of.as_of_date as date) as as_of_date,
        {%- for window, days in web_windows %}
            {%- set column = 'n_sessions_in_' ~ window ~ '_window' %}
            cast(coalesce(session_features.{{ column }}, 0) as {{ count_type }}) as {{ column }},
        {%- endfor %}
        cast(coalesce(session_summary.n_sessions, 0) as {{ count_type }}) as n_sessions,
        {%- for window, days in web_windows %}
            {%- set column = 'n_page_views_in_' ~ window ~ '_window' %}
            cast(coalesce(session_features.{{ column }}, 0) as {{ count_type }}) as {{ column }},
        {%- endfor %}
        cast(session_features.days_since_last_session as {{ count_type }}) as days_since_last_session,
        cast(
            coalesce(session_features.n_sessions_recent_window, 0) as {{ count_type }}
        ) as n_sessions_recent_window,
        cast(coalesce(session_features.n_sessions_prior_window, 0) as {{ count_type }}) as n_sessions_prior_window,
        cast(
            cast(session_features.n_converted_sessions_engagement_window as {{ rate_type }})
            / nullif(session_features.n_sessions_engagement_window, 0) as {{ rate_type }}
        ) as session_conversion_rate_in_window,
        cast(
            coalesce(session_features.n_content_page_views_engagement_window, 0) as {{ count_type }}
        ) as n_content_page_views_in_window,
        cast(
            coalesce(session_features.n_content_sessions_engagement_window, 0) as {{ count_type }}
        ) as n_content_sessions_in_window,
        cast(
            coalesce(cart_features.n_abandoned_cart_sessions, 0) as {{ count_type }}
        ) as n_abandoned_cart_sessions_in_window,
        cast(
            coalesce(cart_features.n_abandoned_add_to_carts, 0) as {{ count_type }}
        ) as n_abandoned_add_to_carts_in_window,
        cast(
            coalesce(cart_features.abandoned_cart_amount, 0) as {{ money }}
        ) as abandoned_cart_amount_in_window
    from customers
    cross join as_of
    left join session_summary
        on customers.customer_key = session_summary.customer_key
    left join session_features
        on customers.customer_key = session_features.customer_key
    left join cart_features
        on customers.customer_key = cart_features.customer_key
)

select * from final
