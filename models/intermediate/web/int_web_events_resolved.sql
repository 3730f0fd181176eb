-- One row per non-bot web event of a resolved person and per item of that event (an event without
-- items has one row, its item columns null): what segment event conditions count ("an add-to-cart
-- of an item priced above 100", "a page view under /collections/sale"). The logged-in user id
-- resolves first, then the device cookie, as for sessions. Events no person resolves are left out.
with

events as (
    select
        event_id,
        event_at,
        event_date,
        event_name,
        user_pseudo_id,
        user_id,
        page_path,
        search_term,
        traffic_source,
        traffic_medium,
        traffic_campaign,
        device_category,
        currency_code
    from {{ ref('stg_ga4__events') }}
    where not is_bot
),

event_items as (
    select
        event_id,
        item_index,
        item_id,
        item_category,
        price_local,
        is_on_sale
    from {{ ref('stg_ga4__event_items') }}
),

-- the lowest item index of each event marks the one row (is_event_row) event-level counts use;
-- not item 0: an event whose first item was quarantined starts at item 1
event_first_items as (
    select
        event_id,
        min(item_index) as first_item_index
    from event_items
    group by event_id
),

fx_rates as (
    -- rates to var base_currency; item prices are in the event's currency, on the event's UTC day
    {{ fx_rates_to_base() }}
),

resolved as (
    {{ resolve_customer_key('events', [
        ('web_user_id', 'events.user_id'),
        ('cookie', 'events.user_pseudo_id'),
    ]) }}
),

final as (
    select
        resolved.event_id || ':' || coalesce(cast(event_items.item_index as {{ dbt.type_string() }}), '-')
            as event_item_id,
        resolved.event_id,
        event_items.item_index,
        coalesce(event_items.item_index = event_first_items.first_item_index, true) as is_event_row,
        resolved.customer_key,
        resolved.event_at,
        resolved.event_date,
        resolved.event_name,
        resolved.page_path,
        resolved.search_term,
        resolved.traffic_source,
        resolved.traffic_medium,
        resolved.traffic_campaign,
        resolved.device_category,
        event_items.item_id,
        event_items.item_category,
        {{ convert_to_base('event_items.price_local', 'fx_rates.rate_to_base') }} as item_price_amount,
        event_items.is_on_sale as is_item_on_sale
    from resolved
    left join event_items
        on resolved.event_id = event_items.event_id
    left join event_first_items
        on resolved.event_id = event_first_items.event_id
    left join fx_rates
        on
            resolved.currency_code = fx_rates.currency_code
            and resolved.event_date between fx_rates.valid_from and fx_rates.valid_to
    where resolved.customer_key is not null
)

select * from final
