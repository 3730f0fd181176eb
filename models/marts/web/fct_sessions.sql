-- One row per web session, resolved to its person (customer_key): the contracted output of
-- int_sessions_resolved. Bot and test-account sessions stay, flagged.
with

final as (
    select
        cast(session_id as {{ dbt.type_string() }}) as session_id,
        cast(customer_key as {{ dbt.type_string() }}) as customer_key,
        cast(user_pseudo_id as {{ dbt.type_string() }}) as user_pseudo_id,
        cast(device_session_number as {{ dbt.type_int() }}) as device_session_number,
        cast(user_id as {{ dbt.type_string() }}) as user_id,
        cast(has_several_user_ids as {{ dbt.type_boolean() }}) as has_several_user_ids,
        cast(started_at as {{ dbt.type_timestamp() }}) as started_at,
        cast(ended_at as {{ dbt.type_timestamp() }}) as ended_at,
        cast(session_date as date) as session_date,
        cast(duration_seconds as {{ dbt.type_int() }}) as duration_seconds,
        cast(traffic_source as {{ dbt.type_string() }}) as traffic_source,
        cast(traffic_medium as {{ dbt.type_string() }}) as traffic_medium,
        cast(traffic_campaign as {{ dbt.type_string() }}) as traffic_campaign,
        cast(landing_page_path as {{ dbt.type_string() }}) as landing_page_path,
        cast(device_category as {{ dbt.type_string() }}) as device_category,
        cast(device_browser as {{ dbt.type_string() }}) as device_browser,
        cast(device_operating_system as {{ dbt.type_string() }}) as device_operating_system,
        cast(geo_country_code as {{ dbt.type_string() }}) as geo_country_code,
        cast(n_events as {{ dbt.type_int() }}) as n_events,
        cast(n_page_views as {{ dbt.type_int() }}) as n_page_views,
        cast(n_content_page_views as {{ dbt.type_int() }}) as n_content_page_views,
        cast(n_add_to_cart as {{ dbt.type_int() }}) as n_add_to_cart,
        cast(add_to_cart_amount as {{ money_type(wide=true) }}) as add_to_cart_amount,
        cast(n_purchases as {{ dbt.type_int() }}) as n_purchases,
        cast(purchase_revenue_amount as {{ money_type(wide=true) }}) as purchase_revenue_amount,
        cast(is_converted as {{ dbt.type_boolean() }}) as is_converted,
        cast(is_bot as {{ dbt.type_boolean() }}) as is_bot,
        cast(is_test_account as {{ dbt.type_boolean() }}) as is_test_account
    from {{ ref('int_sessions_resolved') }}
)

select * from final
