-- One row per order with its money split into gross, discounts, refunds and net (definitions in
-- _int_orders__models.yml). Lines, refunds and refund lines are summed per order before the join,
-- so no amount is counted twice. Amounts are cast to one decimal type, the same on every engine.
-- Without an order_lines source (var raw_sources), an order's gross is its subtotal: line prices
-- after line discounts, which are then unknown and zero.
{%- set has_lines = raw_source_enabled('shopify', 'order_lines') %}
{%- set money = money_type(wide=true) %}
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
        financial_status,
        sales_channel,
        currency_code,
        fx_rate_to_base,
        shipping_country_code,
        has_discount_code,
        subtotal_amount_local,
        discount_amount_local,
        shipping_amount_local,
        tax_amount_local,
        total_amount_local,
        subtotal_amount,
        discount_amount,
        shipping_amount,
        tax_amount,
        total_amount
    from {{ ref('stg_shopify__orders') }}
),

order_lines as (
    select
        order_id,
        quantity,
        gross_amount_local,
        discount_amount_local,
        gross_amount,
        discount_amount
    from {{ ref('stg_shopify__order_lines') }}
),

refunds as (
    select
        order_id,
        shipping_refund_amount_local,
        shipping_refund_amount
    from {{ ref('stg_shopify__refunds') }}
),

refund_lines as (
    select
        order_id,
        quantity,
        refund_amount_local,
        refund_amount
    from {{ ref('stg_shopify__refund_lines') }}
),

lines_per_order as (
    select
        order_id,
        count(*) as n_lines,
        sum(quantity) as n_items,
        sum(gross_amount_local) as gross_amount_local,
        sum(discount_amount_local) as line_discount_amount_local,
        sum(gross_amount) as gross_amount,
        sum(discount_amount) as line_discount_amount
    from order_lines
    group by order_id
),

refunds_per_order as (
    select
        order_id,
        count(*) as n_refunds,
        sum(shipping_refund_amount_local) as shipping_refund_amount_local,
        sum(shipping_refund_amount) as shipping_refund_amount
    from refunds
    group by order_id
),

refund_lines_per_order as (
    select
        order_id,
        sum(quantity) as n_items_refunded,
        sum(refund_amount_local) as item_refund_amount_local,
        sum(refund_amount) as item_refund_amount
    from refund_lines
    group by order_id
),

joined as (
    select
        orders.order_id,
        orders.order_number,
        orders.customer_id,
        orders.email,
        orders.phone_e164,
        orders.created_at,
        orders.order_date,
        orders.is_cancelled,
        orders.is_test,
        orders.is_guest_checkout,
        orders.financial_status,
        orders.sales_channel,
        orders.currency_code,
        orders.fx_rate_to_base,
        orders.shipping_country_code,
        orders.has_discount_code,
        coalesce(lines_per_order.n_lines, 0) as n_lines,
        coalesce(lines_per_order.n_items, 0) as n_items,
        coalesce(refunds_per_order.n_refunds, 0) as n_refunds,
        coalesce(refund_lines_per_order.n_items_refunded, 0) as n_items_refunded,
        {%- if has_lines %}
            coalesce(lines_per_order.gross_amount_local, 0) as gross_amount_local,
        {%- else %}
            coalesce(orders.subtotal_amount_local, 0) as gross_amount_local,
        {%- endif %}
        coalesce(lines_per_order.line_discount_amount_local, 0) as line_discount_amount_local,
        orders.discount_amount_local as order_discount_amount_local,
        coalesce(refund_lines_per_order.item_refund_amount_local, 0) as item_refund_amount_local,
        coalesce(refunds_per_order.shipping_refund_amount_local, 0) as shipping_refund_amount_local,
        orders.shipping_amount_local,
        orders.tax_amount_local,
        orders.total_amount_local,
        {%- if has_lines %}
            coalesce(lines_per_order.gross_amount, 0) as gross_amount,
        {%- else %}
            coalesce(orders.subtotal_amount, 0) as gross_amount,
        {%- endif %}
        coalesce(lines_per_order.line_discount_amount, 0) as line_discount_amount,
        orders.discount_amount as order_discount_amount,
        coalesce(refund_lines_per_order.item_refund_amount, 0) as item_refund_amount,
        coalesce(refunds_per_order.shipping_refund_amount, 0) as shipping_refund_amount,
        orders.shipping_amount,
        orders.tax_amount,
        orders.total_amount
    from orders
    left join lines_per_order
        on orders.order_id = lines_per_order.order_id
    left join refunds_per_order
        on orders.order_id = refunds_per_order.order_id
    left join refund_lines_per_order
        on orders.order_id = refund_lines_per_order.order_id
),

final as (
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
        not is_cancelled and not is_test as is_counted_order,
        financial_status,
        sales_channel,
        currency_code,
        fx_rate_to_base,
        shipping_country_code,
        has_discount_code,
        n_lines,
        n_items,
        n_refunds,
        n_items_refunded,
        cast(gross_amount_local as {{ money }}) as gross_amount_local,
        cast(line_discount_amount_local as {{ money }}) as line_discount_amount_local,
        cast(order_discount_amount_local as {{ money }}) as order_discount_amount_local,
        cast(line_discount_amount_local + order_discount_amount_local as {{ money }}) as discount_amount_local,
        cast(item_refund_amount_local as {{ money }}) as item_refund_amount_local,
        cast(shipping_refund_amount_local as {{ money }}) as shipping_refund_amount_local,
        cast(item_refund_amount_local + shipping_refund_amount_local as {{ money }}) as refund_amount_local,
        cast(
            gross_amount_local - line_discount_amount_local - order_discount_amount_local - item_refund_amount_local
            as {{ money }}
        ) as net_amount_local,
        cast(shipping_amount_local as {{ money }}) as shipping_amount_local,
        cast(tax_amount_local as {{ money }}) as tax_amount_local,
        cast(total_amount_local as {{ money }}) as total_amount_local,
        cast(gross_amount as {{ money }}) as gross_amount,
        cast(line_discount_amount as {{ money }}) as line_discount_amount,
        cast(order_discount_amount as {{ money }}) as order_discount_amount,
        cast(line_discount_amount + order_discount_amount as {{ money }}) as discount_amount,
        cast(item_refund_amount as {{ money }}) as item_refund_amount,
        cast(shipping_refund_amount as {{ money }}) as shipping_refund_amount,
        cast(item_refund_amount + shipping_refund_amount as {{ money }}) as refund_amount,
        cast(
            gross_amount - line_discount_amount - order_discount_amount - item_refund_amount as {{ money }}
        ) as net_amount,
        cast(shipping_amount as {{ money }}) as shipping_amount,
        cast(tax_amount as {{ money }}) as tax_amount,
        cast(total_amount as {{ money }}) as total_amount
    from joined
)

select * from final
