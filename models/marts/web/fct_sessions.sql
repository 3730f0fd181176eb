-- One row per web session, resolved to its person (customer_key). Bot and test-account sessions
-- stay, flagged.
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

identifiers as (
    select
        identifier_type,
        identifier_value,
        customer_key
    from {{ ref('int_identity_identifiers') }}
    where identifier_type in ('web_user_id', 'cookie')
),

-- a person who placed a test order is a test account (staff): their sessions are flagged
test_accounts as (
    select distinct customer_key
    from {{ ref('fct_orders') }}
    where is_test and customer_key is not null
),

-- the logged-in user id first, then the device cookie
resolved as (
    select
        sessions.*,
        coalesce(by_user_id.customer_key, by_cookie.customer_key) as customer_key
    from sessions
    left join identifiers as by_user_id
        on
            by_user_id.identifier_type = 'web_user_id'
            and sessions.user_id = by_user_id.identifier_value
    left join identifiers as by_cookie
        on
            by_cookie.identifier_type = 'cookie'
            and sessions.user_pseudo_id = by_cookie.identifier_value
),

final as (
    select
        cast(resolved.session_id as {{ dbt.type_string() }}) as session_id,
        cast(resolved.customer_key as {{ dbt.type_string() }}) as customer_key,
        cast(resolved.user_pseudo_id as {{ dbt.type_string() }}) as user_pseudo_id,
        cast(resolved.device_session_number as {{ dbt.type_int() }}) as device_session_number,
        cast(resolved.user_id as {{ dbt.type_string() }}) as user_id,
        cast(resolved.has_several_user_ids as {{ dbt.type_boolean() }}) as has_several_user_ids,
        cast(resolved.started_at as {{ dbt.type_timestamp() }}) as started_at,
        cast(resolved.ended_at as {{ dbt.type_timestamp() }}) as ended_at,
        cast(resolved.session_date as date) as session_date,
        cast(resolved.duration_seconds as {{ dbt.type_int() }}) as duration_seconds,
        cast(resolved.traffic_source as {{ dbt.type_string() }}) as traffic_source,
        cast(resolved.traffic_medium as {{ dbt.type_string() }}) as traffic_medium,
        cast(resolved.traffic_campaign as {{ dbt.type_string() }}) as traffic_campaign,
        cast(resolved.landing_page_path as {{ dbt.type_string() }}) as landing_page_path,
        cast(resolved.device_category as {{ dbt.type_string() }}) as device_category,
        cast(resolved.device_browser as {{ dbt.type_string() }}) as device_browser,
        cast(resolved.device_operating_system as {{ dbt.type_string() }}) as device_operating_system,
        cast(resolved.geo_country_code as {{ dbt.type_string() }}) as geo_country_code,
        cast(resolved.n_events as {{ dbt.type_int() }}) as n_events,
        cast(resolved.n_page_views as {{ dbt.type_int() }}) as n_page_views,
        cast(resolved.n_content_page_views as {{ dbt.type_int() }}) as n_content_page_views,
        cast(resolved.n_add_to_cart as {{ dbt.type_int() }}) as n_add_to_cart,
        cast(resolved.add_to_cart_amount as decimal(28, 6)) as add_to_cart_amount,
        cast(resolved.n_purchases as {{ dbt.type_int() }}) as n_purchases,
        cast(resolved.purchase_revenue_amount as decimal(28, 6)) as purchase_revenue_amount,
        cast(resolved.is_converted as {{ dbt.type_boolean() }}) as is_converted,
        cast(resolved.is_bot as {{ dbt.type_boolean() }}) as is_bot,
        cast(test_accounts.customer_key is not null as {{ dbt.type_boolean() }}) as is_test_account
    from resolved
    left join test_accounts
        on resolved.customer_key = test_accounts.customer_key
)

select * from final
