-- Net merchandise revenue recomputed from staging, independently of the order models, two ways:
-- 1. in the base currency, for all orders together, from the converted parts (lines, order
--    discounts, refund lines): equal to the cent (each part was converted once, in staging);
-- 2. per order, in the order currency, from the charged totals: total - tax - shipping - item
--    refunds, within var order_amount_tolerance (the slack staging allows on order totals).
-- Without an order_lines source (var raw_sources) the merchandise is each order's subtotal.
-- Returns the failing comparisons.
{%- set has_lines = raw_source_enabled('shopify', 'order_lines') %}
with

fct as (
    select
        order_id,
        net_amount,
        net_amount_local
    from {{ ref('fct_orders') }}
),

orders as (
    select
        order_id,
        subtotal_amount,
        discount_amount,
        total_amount_local,
        tax_amount_local,
        shipping_amount_local
    from {{ ref('stg_shopify__orders') }}
),

order_lines as (
    select
        order_id,
        gross_amount,
        discount_amount
    from {{ ref('stg_shopify__order_lines') }}
),

refund_lines as (
    select
        order_id,
        refund_amount_local,
        refund_amount
    from {{ ref('stg_shopify__refund_lines') }}
),

refund_lines_per_order as (
    select
        order_id,
        sum(refund_amount_local) as item_refund_amount_local
    from refund_lines
    group by order_id
),

base_total_from_parts as (
    select
        {%- if has_lines %}
            (select sum(gross_amount - discount_amount) from order_lines)
        {%- else %}
            (select sum(coalesce(subtotal_amount, 0)) from orders)
        {%- endif %}
        - (select sum(discount_amount) from orders)
        - (select coalesce(sum(refund_amount), 0) from refund_lines) as expected_net_amount,
        (select sum(net_amount) from fct) as actual_net_amount
),

base_failures as (
    select
        cast(null as {{ dbt.type_bigint() }}) as order_id,
        'base_total' as comparison,
        expected_net_amount as expected,
        actual_net_amount as actual
    from base_total_from_parts
    where expected_net_amount is distinct from actual_net_amount
),

local_failures as (
    select
        orders.order_id,
        'order_local_net' as comparison,
        orders.total_amount_local - orders.tax_amount_local - orders.shipping_amount_local
        - coalesce(refund_lines_per_order.item_refund_amount_local, 0) as expected,
        fct.net_amount_local as actual
    from orders
    left join refund_lines_per_order
        on orders.order_id = refund_lines_per_order.order_id
    left join fct
        on orders.order_id = fct.order_id
    where
        not coalesce(
            abs(
                fct.net_amount_local
                - (
                    orders.total_amount_local - orders.tax_amount_local - orders.shipping_amount_local
                    - coalesce(refund_lines_per_order.item_refund_amount_local, 0)
                )
            ) <= {{ var('order_amount_tolerance') }},
            false
        )
)

select * from base_failures
union all
select * from local_failures
