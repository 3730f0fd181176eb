-- Per order, the lines of fct_order_lines add up to fct_orders in both currencies: units, gross,
-- line discounts, item refunds, and Σ line net − order discount = order net. A full outer join, so
-- an order without lines or lines without an order fail too; `is distinct from` catches nulls.
-- Needs an order_lines source (var raw_sources): without one there is nothing to reconcile.
{{ config(enabled=raw_source_enabled('shopify', 'order_lines')) }}
with

lines_per_order as (
    select
        order_id,
        count(*) as n_lines,
        sum(quantity) as n_items,
        sum(refunded_quantity) as n_items_refunded,
        sum(gross_amount) as gross_amount,
        sum(discount_amount) as discount_amount,
        sum(refund_amount) as refund_amount,
        sum(net_amount) as net_amount,
        sum(gross_amount_local) as gross_amount_local,
        sum(refund_amount_local) as refund_amount_local,
        sum(net_amount_local) as net_amount_local
    from {{ ref('fct_order_lines') }}
    group by order_id
),

orders as (
    select
        order_id,
        n_lines,
        n_items,
        n_items_refunded,
        gross_amount,
        line_discount_amount,
        order_discount_amount,
        item_refund_amount,
        net_amount,
        gross_amount_local,
        item_refund_amount_local,
        net_amount_local
    from {{ ref('fct_orders') }}
),

-- the order-level discount in the order currency is not published on its own: staging has it
order_discounts_local as (
    select
        order_id,
        discount_amount_local as order_discount_amount_local
    from {{ ref('stg_shopify__orders') }}
),

compared as (
    select
        coalesce(orders.order_id, lines_per_order.order_id) as order_id,
        orders.n_lines,
        coalesce(lines_per_order.n_lines, 0) as line_rows,
        orders.n_items,
        coalesce(lines_per_order.n_items, 0) as line_items,
        orders.n_items_refunded,
        coalesce(lines_per_order.n_items_refunded, 0) as line_items_refunded,
        orders.gross_amount,
        coalesce(lines_per_order.gross_amount, 0) as line_gross_amount,
        orders.line_discount_amount,
        coalesce(lines_per_order.discount_amount, 0) as line_discount_sum,
        orders.item_refund_amount,
        coalesce(lines_per_order.refund_amount, 0) as line_refund_amount,
        orders.net_amount,
        coalesce(lines_per_order.net_amount, 0) - orders.order_discount_amount as lines_net_amount,
        orders.gross_amount_local,
        coalesce(lines_per_order.gross_amount_local, 0) as line_gross_amount_local,
        orders.item_refund_amount_local,
        coalesce(lines_per_order.refund_amount_local, 0) as line_refund_amount_local,
        orders.net_amount_local,
        coalesce(lines_per_order.net_amount_local, 0)
        - order_discounts_local.order_discount_amount_local as lines_net_amount_local
    from orders
    full outer join lines_per_order
        on orders.order_id = lines_per_order.order_id
    left join order_discounts_local
        on coalesce(orders.order_id, lines_per_order.order_id) = order_discounts_local.order_id
)

select *
from compared
where
    n_lines is distinct from line_rows
    or n_items is distinct from line_items
    or n_items_refunded is distinct from line_items_refunded
    or gross_amount is distinct from line_gross_amount
    or line_discount_amount is distinct from line_discount_sum
    or item_refund_amount is distinct from line_refund_amount
    or net_amount is distinct from lines_net_amount
    or gross_amount_local is distinct from line_gross_amount_local
    or item_refund_amount_local is distinct from line_refund_amount_local
    or net_amount_local is distinct from lines_net_amount_local
