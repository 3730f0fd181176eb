-- One row per buyer: a customer with at least one counted order (not cancelled, not test) dated on
-- or before the as-of date. The single pass over fct_orders that RFM, lifecycle and value share.
-- Days are whole days before the as-of date; "in the window" means days_ago 0 .. rfm_window_days - 1.
{%- set window_days = var('rfm_window_days') %}
{%- set days_ago = dbt.datediff('fct_orders.order_date', 'as_of.as_of_date', 'day') %}

with

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

orders as (
    select
        fct_orders.customer_key,
        fct_orders.order_id,
        fct_orders.order_date,
        fct_orders.gross_amount,
        fct_orders.discount_amount,
        fct_orders.item_refund_amount,
        fct_orders.net_amount,
        fct_orders.shipping_amount - fct_orders.shipping_refund_amount as shipping_charged_amount,
        fct_orders.n_items_refunded,
        {{ days_ago }} as days_ago
    from {{ ref('fct_orders') }} as fct_orders
    cross join as_of
    where
        fct_orders.is_counted_order
        and fct_orders.customer_key is not null
        and fct_orders.order_date <= as_of.as_of_date
),

per_customer as (
    select
        customer_key,
        min(order_date) as first_order_date,
        max(order_date) as last_order_date,
        count(*) as n_orders,
        count(distinct order_date) as n_order_days,
        count(case when days_ago < {{ window_days }} then order_id end) as n_orders_window,
        coalesce(sum(case when days_ago < {{ window_days }} then net_amount end), 0) as net_revenue_window,
        sum(gross_amount) as gross_amount,
        sum(discount_amount) as discount_amount,
        sum(item_refund_amount) as item_refund_amount,
        sum(net_amount) as net_revenue,
        sum(shipping_charged_amount) as shipping_charged_amount,
        sum(n_items_refunded) as n_items_refunded
    from orders
    group by customer_key
),

-- what needs the first and last order day first: the order day before the last one, and the net
-- revenue of the first order day (BG/NBD's monetary value excludes it). A second pass over the
-- orders (a lag window would sort them all).
second_pass as (
    select
        orders.customer_key,
        max(case when orders.order_date < per_customer.last_order_date then orders.order_date end)
            as previous_order_date,
        sum(case when orders.order_date = per_customer.first_order_date then orders.net_amount end)
            as first_order_day_net_revenue
    from orders
    inner join per_customer
        on orders.customer_key = per_customer.customer_key
    group by orders.customer_key
),

final as (
    select
        per_customer.customer_key,
        as_of.as_of_date,
        per_customer.first_order_date,
        per_customer.last_order_date,
        second_pass.previous_order_date,
        {%- set since_first = dbt.datediff('per_customer.first_order_date', 'as_of.as_of_date', 'day') %}
        {%- set since_last = dbt.datediff('per_customer.last_order_date', 'as_of.as_of_date', 'day') %}
        {%- set previous_date = 'second_pass.previous_order_date' %}
        {%- set last_gap = dbt.datediff(previous_date, 'per_customer.last_order_date', 'day') %}
        {%- set order_span = dbt.datediff('per_customer.first_order_date', 'per_customer.last_order_date', 'day') %}
        {{ since_first }} as days_since_first_order,
        {{ since_last }} as days_since_last_order,
        {{ last_gap }} as days_between_last_two_order_days,
        cast(per_customer.n_orders as {{ dbt.type_bigint() }}) as n_orders,
        cast(per_customer.n_order_days as {{ dbt.type_bigint() }}) as n_order_days,
        case
            when per_customer.n_order_days > 1
                then cast({{ order_span }} as {{ type_double() }}) / (per_customer.n_order_days - 1)
        end as mean_days_between_order_days,
        cast(per_customer.n_orders_window as {{ dbt.type_bigint() }}) as n_orders_window,
        cast(per_customer.net_revenue_window as decimal(28, 6)) as net_revenue_window,
        cast(per_customer.gross_amount as decimal(28, 6)) as gross_amount,
        cast(per_customer.discount_amount as decimal(28, 6)) as discount_amount,
        cast(per_customer.item_refund_amount as decimal(28, 6)) as item_refund_amount,
        cast(per_customer.net_revenue as decimal(28, 6)) as net_revenue,
        cast(second_pass.first_order_day_net_revenue as decimal(28, 6)) as first_order_day_net_revenue,
        cast(per_customer.shipping_charged_amount as decimal(28, 6)) as shipping_charged_amount,
        cast(per_customer.n_items_refunded as {{ dbt.type_bigint() }}) as n_items_refunded
    from per_customer
    cross join as_of
    inner join second_pass
        on per_customer.customer_key = second_pass.customer_key
)

select * from final
