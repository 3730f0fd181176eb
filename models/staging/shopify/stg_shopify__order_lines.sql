with

order_lines as (
    select
        order_line_id,
        order_id,
        product_id,
        sku,
        quantity,
        currency_code,
        fx_rate_to_base,
        price_local,
        compare_at_price_local,
        discount_amount_local,
        gross_amount_local,
        price_amount,
        compare_at_price_amount,
        discount_amount,
        gross_amount,
        is_on_sale,
        _loaded_at
    from {{ ref('base_shopify__order_lines') }}
    where _quarantine_reason is null and _dedupe_rank = 1
)

select * from order_lines
