with

event_items as (
    select
        event_id,
        item_index,
        item_id,
        item_name,
        item_category,
        price_local,
        quantity,
        is_on_sale,
        _loaded_at
    from {{ ref('base_ga4__event_items') }}
    where _quarantine_reason is null and _dedupe_rank = 1
)

select * from event_items
