-- One row per web session of a device (user_pseudo_id). Sessions are cut in one ordered pass over
-- each device's events: lag/lead find the boundaries, a running sum numbers the sessions, one
-- aggregation describes them. No self-join on events (see _int_web__models.yml for the rules).
{%- set timeout_minutes = checked_var('session_inactivity_timeout_minutes') %}
{%- set grace_seconds = checked_var('session_start_grace_seconds') %}
{%- set content_prefixes = checked_var('session_content_page_prefixes') %}
{%- set content_page_matches = [] %}
{%- for prefix in content_prefixes %}
    {%- do content_page_matches.append("events.page_path like '" ~ prefix ~ "%'") %}
{%- endfor %}
{%- set content_page_condition = content_page_matches | join(' or ') %}
{%- set sort_key_width = 12 %}

with

events as (
    select
        event_id,
        event_at,
        event_name,
        user_pseudo_id,
        user_id,
        page_path,
        traffic_source,
        traffic_medium,
        traffic_campaign,
        device_category,
        device_operating_system,
        device_browser,
        geo_country_code,
        is_bot,
        currency_code,
        purchase_revenue_amount
    from {{ ref('stg_ga4__events') }}
),

event_items as (
    select
        event_id,
        price_local,
        quantity
    from {{ ref('stg_ga4__event_items') }}
),

fx_rates as (
    -- rates to var base_currency, rebased from the fx_rates seed's quote currency
    {{ fx_rates_to_base() }}
),

-- item prices are in the event currency: summed per event, converted where they meet the event
items_per_event as (
    select
        event_id,
        sum(price_local * quantity) as items_amount_local
    from event_items
    group by event_id
),

device_events as (
    select
        -- a hit without a cookie (consent-mode ping) cannot be tied to a device: it is its own session
        events.event_id,
        events.event_at,
        events.event_name,
        events.user_pseudo_id,
        events.user_id,
        events.page_path,
        events.traffic_source,
        events.traffic_medium,
        events.traffic_campaign,
        events.device_category,
        events.device_operating_system,
        events.device_browser,
        events.geo_country_code,
        events.is_bot,
        events.purchase_revenue_amount,
        coalesce(events.user_pseudo_id, 'event:' || events.event_id) as device_key,
        case
            when events.event_name = 'add_to_cart'
                then {{ convert_to_base('items_per_event.items_amount_local', 'fx_rates.rate_to_base') }}
        end as add_to_cart_amount,
        coalesce(events.event_name = 'page_view' and ({{ content_page_condition }}), false) as is_content_page_view
    from events
    left join items_per_event
        on events.event_id = items_per_event.event_id
    -- the rate of the event's UTC day, as staging converts purchase revenue; ranges never overlap
    left join fx_rates
        on
            events.currency_code = fx_rates.currency_code
            and cast(events.event_at as date) between fx_rates.valid_from and fx_rates.valid_to
),

-- every tie is broken: event_at, then event_id
neighbours as (
    select
        *,
        row_number() over device_timeline as device_event_number,
        lag(event_at) over device_timeline as previous_event_at,
        lag(event_name) over device_timeline as previous_event_name,
        lead(event_at) over device_timeline as next_event_at,
        lead(event_name) over device_timeline as next_event_name
    from device_events
    window device_timeline as (partition by device_key order by event_at asc, event_id asc)
),

-- GA4 logs session_start together with the session's first page_view, and their sub-second order
-- is arbitrary: an event at most grace_seconds before a session_start opens that session instead.
boundaries as (
    select
        *,
        case
            when previous_event_at is null then 1
            when event_at > {{ dbt.dateadd('minute', timeout_minutes, 'previous_event_at') }} then 1
            when
                event_name <> 'session_start'
                and next_event_name = 'session_start'
                and next_event_at <= {{ dbt.dateadd('second', grace_seconds, 'event_at') }}
                then 1
            when
                event_name = 'session_start'
                and not (
                    previous_event_name <> 'session_start'
                    and event_at <= {{ dbt.dateadd('second', grace_seconds, 'previous_event_at') }}
                )
                then 1
            else 0
        end as starts_session
    from neighbours
),

numbered as (
    select
        *,
        sum(starts_session) over (
            partition by device_key
            order by event_at asc, event_id asc
            rows between unbounded preceding and current row
        ) as device_session_number,
        -- zero-padded position in the device's timeline: prefixed to a value, min() finds the first
        lpad(cast(device_event_number as {{ dbt.type_string() }}), {{ sort_key_width }}, '0') as event_sort_key
    from boundaries
),

-- "first non-null value of x in the session" is substr(min(event_sort_key || x), width + 1):
-- || gives null for a null x, so min() skips it. One aggregation, on every engine (PostgreSQL has
-- neither min_by nor first_value ... ignore nulls).
sessions as (
    select
        device_key,
        device_session_number,
        max(user_pseudo_id) as user_pseudo_id,
        max(case when starts_session = 1 then event_id end) as first_event_id,
        substr(min(event_sort_key || user_id), {{ sort_key_width + 1 }}) as user_id,
        coalesce(min(user_id) <> max(user_id), false) as has_several_user_ids,
        min(event_at) as started_at,
        max(event_at) as ended_at,
        substr(min(event_sort_key || traffic_source), {{ sort_key_width + 1 }}) as traffic_source,
        substr(min(event_sort_key || traffic_medium), {{ sort_key_width + 1 }}) as traffic_medium,
        substr(min(event_sort_key || traffic_campaign), {{ sort_key_width + 1 }}) as traffic_campaign,
        substr(min(event_sort_key || page_path), {{ sort_key_width + 1 }}) as landing_page_path,
        substr(min(event_sort_key || device_category), {{ sort_key_width + 1 }}) as device_category,
        substr(min(event_sort_key || device_browser), {{ sort_key_width + 1 }}) as device_browser,
        substr(min(event_sort_key || device_operating_system), {{ sort_key_width + 1 }}) as device_operating_system,
        substr(min(event_sort_key || geo_country_code), {{ sort_key_width + 1 }}) as geo_country_code,
        count(*) as n_events,
        sum(case when event_name = 'page_view' then 1 else 0 end) as n_page_views,
        sum(case when is_content_page_view then 1 else 0 end) as n_content_page_views,
        sum(case when event_name = 'add_to_cart' then 1 else 0 end) as n_add_to_cart,
        cast(coalesce(sum(add_to_cart_amount), 0) as {{ money_type(wide=true) }}) as add_to_cart_amount,
        sum(case when event_name = 'purchase' then 1 else 0 end) as n_purchases,
        cast(coalesce(sum(purchase_revenue_amount), 0) as {{ money_type(wide=true) }}) as purchase_revenue_amount,
        max(case when is_bot then 1 else 0 end) = 1 as is_bot
    from numbered
    group by device_key, device_session_number
),

final as (
    select
        {{ dbt.hash("device_key || '|' || first_event_id") }} as session_id,
        user_pseudo_id,
        device_session_number,
        first_event_id,
        user_id,
        has_several_user_ids,
        started_at,
        ended_at,
        cast(started_at as date) as session_date,
        {{ dbt.datediff('started_at', 'ended_at', 'second') }}
            as duration_seconds,
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
        n_purchases > 0 as is_converted,
        is_bot
    from sessions
)

select * from final
