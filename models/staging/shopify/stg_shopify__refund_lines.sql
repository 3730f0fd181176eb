with

refund_lines as (
    select
        refund_line_id,
        refund_id,
        order_line_id,
        order_id,
        quantity,
        restock_type,
        currency_code,
        refund_amount_local,
        refund_amount,
        _loaded_at
    from {{ ref('base_shopify__refund_lines') }}
    where _quarantine_reason is null and _dedupe_rank = 1
)

select * from refund_lines
