-- One row per order (int_orders_enriched) with its person (customer_key) and its place in the
-- person's sequence of counted orders. The shop customer id resolves first, then the email, then
-- the phone: the most specific identifier wins.
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
        is_cancelled,
        is_test,
        is_guest_checkout,
        is_counted_order,
        financial_status,
        sales_channel,
        currency_code,
        shipping_country_code,
        has_discount_code,
        n_lines,
        n_items,
        n_refunds,
        n_items_refunded,
        gross_amount_local,
        discount_amount_local,
        item_refund_amount_local,
        shipping_refund_amount_local,
        refund_amount_local,
        net_amount_local,
        gross_amount,
        line_discount_amount,
        order_discount_amount,
        discount_amount,
        item_refund_amount,
        shipping_refund_amount,
        refund_amount,
        net_amount,
        shipping_amount,
        tax_amount,
        total_amount
    from {{ ref('int_orders_enriched') }}
),

resolved as (
    {{ resolve_customer_key('orders', [
        ('shop_customer_id', 'cast(orders.customer_id as ' ~ dbt.type_string() ~ ')'),
        ('email', 'orders.email'),
        ('phone', 'orders.phone_e164'),
    ]) }}
),

-- only counted orders (not cancelled, not test) of a known person get a place in the sequence;
-- ties on created_at are broken by order_id
final as (
    select
        *,
        case
            when is_counted_order and customer_key is not null
                then row_number() over (
                        partition by customer_key, is_counted_order
                        order by created_at asc, order_id asc
                    )
        end as customer_order_number
    from resolved
)

select * from final
