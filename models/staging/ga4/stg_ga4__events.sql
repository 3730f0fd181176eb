with

events as (
    select
        event_id,
        event_at,
        event_date,
        event_name,
        user_pseudo_id,
        user_id,
        ga_session_id,
        session_key,
        page_location,
        page_path,
        page_referrer,
        page_title,
        search_term,
        traffic_source,
        traffic_medium,
        traffic_campaign,
        device_category,
        device_operating_system,
        device_browser,
        device_user_agent,
        is_bot,
        geo_country,
        geo_country_code,
        geo_region,
        geo_city,
        transaction_id,
        purchase_revenue_amount_local,
        currency_code,
        purchase_revenue_amount,
        _loaded_at,
        is_late_arriving
    from {{ ref('base_ga4__events') }}
    where _quarantine_reason is null and _dedupe_rank = 1
)

select * from events
