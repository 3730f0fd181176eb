-- customer_value totals equal fct_orders (counted orders with a customer, dated on or before the
-- as-of date) to the cent, and its ticket count equals customer_features: no order is lost or
-- double counted between the fact table and the scores.
with

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

from_orders as (
    select
        count(*) as n_orders,
        coalesce(sum(fct_orders.gross_amount), 0) as gross_amount,
        coalesce(sum(fct_orders.discount_amount), 0) as discount_amount,
        coalesce(sum(fct_orders.item_refund_amount), 0) as item_refund_amount,
        coalesce(sum(fct_orders.net_amount), 0) as net_amount,
        coalesce(sum(fct_orders.shipping_amount - fct_orders.shipping_refund_amount), 0) as shipping_charged_amount,
        coalesce(sum(fct_orders.n_items_refunded), 0) as n_items_refunded
    from {{ ref('fct_orders') }} as fct_orders
    cross join as_of
    where
        fct_orders.is_counted_order
        and fct_orders.customer_key is not null
        and fct_orders.order_date <= as_of.as_of_date
),

from_value as (
    select
        sum(n_orders) as n_orders,
        sum(gross_amount) as gross_amount,
        sum(discount_amount) as discount_amount,
        sum(item_refund_amount) as item_refund_amount,
        sum(historical_clv_amount) as net_amount,
        sum(shipping_charged_amount) as shipping_charged_amount,
        sum(n_items_refunded) as n_items_refunded,
        sum(n_support_tickets) as n_tickets
    from {{ ref('customer_value') }}
),

from_features as (
    select sum(n_tickets) as n_tickets
    from {{ ref('customer_features') }}
)

select
    from_orders.*,
    from_value.n_orders as value_n_orders,
    from_value.net_amount as value_net_amount,
    from_value.n_tickets as value_n_tickets,
    from_features.n_tickets as features_n_tickets
from from_orders
cross join from_value
cross join from_features
where
    from_orders.n_orders <> from_value.n_orders
    or from_orders.gross_amount <> from_value.gross_amount
    or from_orders.discount_amount <> from_value.discount_amount
    or from_orders.item_refund_amount <> from_value.item_refund_amount
    or from_orders.net_amount <> from_value.net_amount
    or from_orders.shipping_charged_amount <> from_value.shipping_charged_amount
    or from_orders.n_items_refunded <> from_value.n_items_refunded
    or from_value.n_tickets <> from_features.n_tickets
