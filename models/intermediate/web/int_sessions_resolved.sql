-- One row per web session (int_web_sessions) with its person (customer_key): the logged-in user id
-- resolves first, then the device cookie. A person who placed a test order is a test account
-- (staff): their sessions are flagged is_test_account.
with

sessions as (
    select
        session_id,
        user_pseudo_id,
        device_session_number,
        user_id,
        has_several_user_ids,
        started_at,
        ended_at,
        session_date,
        duration_seconds,
        traffic_source,
        traffic_medium,
        traffic_campaign,
        landing_page_path,
        device_category,
        device_browser,
        device_operating_system,
        geo_country_code,
        n_events,
        n_page_views,
        n_content_page_views,
        n_add_to_cart,
        add_to_cart_amount,
        n_purchases,
        purchase_revenue_amount,
        is_converted,
        is_bot
    from {{ ref('int_web_sessions') }}
),

resolved as (
    {{ resolve_customer_key('sessions', [
        ('web_user_id', 'sessions.user_id'),
        ('cookie', 'sessions.user_pseudo_id'),
    ]) }}
),

test_accounts as (
    select distinct customer_key
    from {{ ref('int_orders_resolved') }}
    where is_test and customer_key is not null
),

final as (
    select
        resolved.*,
        test_accounts.customer_key is not null as is_test_account
    from resolved
    left join test_accounts
        on resolved.customer_key = test_accounts.customer_key
)

select * from final
