-- One row per buyer: a customer with at least one counted order (not cancelled, not test) dated on
-- or before the as-of date. The one per-customer order summary: dim_customers, customer_features,
-- every score and the BTYD inputs read their order counts and amounts here (decision 44). Orders
-- are summed per customer and day first (the BTYD inputs count order days), then per customer.
-- Windows are date comparisons against start dates computed once: "in the last N days" =
-- order_date > as_of_date - N days.
{%- set t = lifecycle_thresholds() %}
{%- set rfm_window_days = checked_var('rfm_window_days') %}
{%- set money = money_type() %}

with

as_of as (
    {%- set rfm_start = dbt.dateadd('day', 1 - rfm_window_days, 'as_of_date') %}
    {%- set reactivation_start = dbt.dateadd('day', 1 - t.reactivated, 'as_of_date') %}
    select
        as_of_date,
        cast({{ rfm_start }} as date) as rfm_window_start_date,
        cast({{ reactivation_start }} as date) as reactivation_window_start_date
    from {{ ref('int_as_of_date') }}
),

orders as (
    select
        int_orders_resolved.customer_key,
        int_orders_resolved.order_id,
        int_orders_resolved.created_at,
        int_orders_resolved.order_date,
        int_orders_resolved.has_discount_code,
        int_orders_resolved.gross_amount,
        int_orders_resolved.discount_amount,
        int_orders_resolved.item_refund_amount,
        int_orders_resolved.net_amount,
        int_orders_resolved.shipping_amount - int_orders_resolved.shipping_refund_amount as shipping_charged_amount,
        int_orders_resolved.n_items_refunded
    from {{ ref('int_orders_resolved') }} as int_orders_resolved
    cross join as_of
    where
        int_orders_resolved.is_counted_order
        and int_orders_resolved.customer_key is not null
        and int_orders_resolved.order_date <= as_of.as_of_date
),

order_days as (
    select
        customer_key,
        order_date,
        count(*) as n_orders,
        count(case when has_discount_code then order_id end) as n_orders_with_discount_code,
        min(created_at) as first_created_at,
        max(created_at) as last_created_at,
        sum(gross_amount) as gross_amount,
        sum(discount_amount) as discount_amount,
        sum(item_refund_amount) as item_refund_amount,
        sum(net_amount) as net_amount,
        sum(shipping_charged_amount) as shipping_charged_amount,
        sum(n_items_refunded) as n_items_refunded
    from orders
    group by customer_key, order_date
),

order_days_flagged as (
    select
        order_days.*,
        order_days.order_date >= as_of.rfm_window_start_date as is_in_rfm_window,
        order_days.order_date >= as_of.reactivation_window_start_date as is_in_reactivation_window,
        order_days.order_date > min(order_days.order_date) over (partition by order_days.customer_key)
            as is_repeat_day
    from order_days
    cross join as_of
),

per_customer as (
    select
        customer_key,
        min(order_date) as first_order_date,
        max(order_date) as last_order_date,
        min(first_created_at) as first_order_at,
        max(last_created_at) as last_order_at,
        sum(n_orders) as n_orders,
        count(*) as n_order_days,
        sum(n_orders_with_discount_code) as n_orders_with_discount_code,
        coalesce(sum(case when is_in_rfm_window then n_orders end), 0) as n_orders_window,
        coalesce(sum(case when is_in_rfm_window then net_amount end), 0) as net_revenue_window,
        -- the gap a reactivation closes is only needed when the last order is recent
        min(case when is_in_reactivation_window then order_date end) as first_order_date_in_reactivation_window,
        max(case when not is_in_reactivation_window then order_date end) as last_order_date_before_reactivation_window,
        sum(gross_amount) as gross_amount,
        sum(discount_amount) as discount_amount,
        sum(item_refund_amount) as item_refund_amount,
        sum(net_amount) as net_revenue,
        sum(case when is_repeat_day then net_amount end) as repeat_net_revenue,
        sum(shipping_charged_amount) as shipping_charged_amount,
        sum(n_items_refunded) as n_items_refunded
    from order_days_flagged
    group by customer_key
),

final as (
    {%- set since_first = dbt.datediff('per_customer.first_order_date', 'as_of.as_of_date', 'day') %}
    {%- set since_last = dbt.datediff('per_customer.last_order_date', 'as_of.as_of_date', 'day') %}
    {%- set order_span = dbt.datediff('per_customer.first_order_date', 'per_customer.last_order_date', 'day') %}
    {%- set before_window = 'per_customer.last_order_date_before_reactivation_window' %}
    {%- set reactivation_gap = dbt.datediff(before_window, 'per_customer.last_order_date', 'day') %}
    select
        per_customer.customer_key,
        as_of.as_of_date,
        per_customer.first_order_date,
        per_customer.last_order_date,
        {{ since_first }} as days_since_first_order,
        {{ since_last }} as days_since_last_order,
        case
            when per_customer.first_order_date_in_reactivation_window = per_customer.last_order_date
                then {{ reactivation_gap }}
        end as reactivation_gap_days,
        cast(per_customer.n_orders as {{ dbt.type_bigint() }}) as n_orders,
        case
            when per_customer.n_orders > 1
                then cast({{ order_span }} as {{ type_double() }}) / (per_customer.n_orders - 1)
        end as mean_days_between_orders,
        cast(per_customer.n_orders_window as {{ dbt.type_bigint() }}) as n_orders_window,
        cast(per_customer.net_revenue_window as {{ money }}) as net_revenue_window,
        cast(per_customer.gross_amount as {{ money }}) as gross_amount,
        cast(per_customer.discount_amount as {{ money }}) as discount_amount,
        cast(per_customer.item_refund_amount as {{ money }}) as item_refund_amount,
        cast(per_customer.net_revenue as {{ money }}) as net_revenue,
        cast(per_customer.shipping_charged_amount as {{ money }}) as shipping_charged_amount,
        cast(per_customer.n_items_refunded as {{ dbt.type_bigint() }}) as n_items_refunded,
        cast(per_customer.first_order_at as {{ dbt.type_timestamp() }}) as first_order_at,
        cast(per_customer.last_order_at as {{ dbt.type_timestamp() }}) as last_order_at,
        cast(per_customer.n_order_days as {{ dbt.type_bigint() }}) as n_order_days,
        cast(per_customer.repeat_net_revenue as {{ money }}) as repeat_net_revenue,
        cast(per_customer.n_orders_with_discount_code as {{ dbt.type_bigint() }}) as n_orders_with_discount_code
    from per_customer
    cross join as_of
)

select * from final
