with

products as (
    select
        product_id,
        product_title,
        category,
        collection,
        vendor,
        is_new_arrival,
        launched_at,
        launch_date,
        created_at,
        updated_at,
        _loaded_at
    from {{ ref('base_shopify__products') }}
    where _quarantine_reason is null and _dedupe_rank = 1
)

select * from products
