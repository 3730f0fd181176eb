with

orders as (
    select
        order_id,
        order_number,
        customer_id,
        email,
        phone_e164,
        created_at,
        order_date,
        processed_at,
        updated_at,
        cancelled_at,
        is_cancelled,
        cancel_reason,
        currency_code,
        fx_rate_to_base,
        subtotal_amount_local,
        discount_amount_local,
        shipping_amount_local,
        tax_amount_local,
        total_amount_local,
        subtotal_amount,
        discount_amount,
        shipping_amount,
        tax_amount,
        total_amount,
        financial_status,
        fulfillment_status,
        sales_channel,
        discount_codes,
        has_discount_code,
        is_guest_checkout,
        shipping_country_code,
        is_test,
        _loaded_at
    from {{ ref('base_shopify__orders') }}
    where _quarantine_reason is null and _dedupe_rank = 1
)

select * from orders
