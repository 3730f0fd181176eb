with

refunds as (
    select
        refund_id,
        order_id,
        refunded_at,
        refund_date,
        note,
        currency_code,
        shipping_refund_amount_local,
        shipping_refund_amount,
        _loaded_at
    from {{ ref('base_shopify__refunds') }}
    where _quarantine_reason is null and _dedupe_rank = 1
)

select * from refunds
