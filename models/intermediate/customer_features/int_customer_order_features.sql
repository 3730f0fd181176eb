-- One row per person of int_customer_spine (prospects included) with their order features as of the
-- as-of date: lifetime measures from int_customer_order_summary, windowed counts and revenue from
-- the resolved orders (int_orders_resolved). "In the last N days" = days_ago in [0, N - 1].
{%- set order_windows = fixed_key_var_items('customer_features_order_windows_days') %}
{%- set aov_window = checked_var('customer_features_aov_window_days') %}
{%- set count_type = dbt.type_bigint() %}
{%- set rate_type = type_double() %}
{%- set money = money_type(wide=true) %}
with

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

customers as (
    select customer_key
    from {{ ref('int_customer_spine') }}
),

order_summary as (
    select
        customer_key,
        n_orders,
        net_revenue,
        gross_amount,
        discount_amount,
        item_refund_amount,
        n_orders_with_discount_code,
        days_since_first_order,
        days_since_last_order,
        mean_days_between_orders
    from {{ ref('int_customer_order_summary') }}
),

orders as (
    select
        customer_key,
        order_id,
        order_date,
        net_amount
    from {{ ref('int_orders_resolved') }}
    where is_counted_order and customer_key is not null
),

-- orders: one pass, every window by conditional aggregation
orders_dated as (
    {%- set days_ago = dbt.datediff('orders.order_date', 'as_of.as_of_date', 'day') %}
    select
        orders.*,
        {{ days_ago }} as days_ago
    from orders
    cross join as_of
    where orders.order_date <= as_of.as_of_date
),

-- windowed order measures; lifetime ones come from the order summary
order_window_features as (
    select
        customer_key,
        {%- for window, days in order_windows %}
            count(case when days_ago < {{ days }} then order_id end) as n_orders_in_{{ window }}_window,
            sum(
                case when days_ago < {{ days }} then net_amount else 0 end
            ) as net_revenue_amount_in_{{ window }}_window,
        {%- endfor %}
        count(case when days_ago < {{ aov_window }} then order_id end) as n_orders_aov_window,
        sum(case when days_ago < {{ aov_window }} then net_amount else 0 end) as net_revenue_amount_aov_window
    from orders_dated
    group by customer_key
),

final as (
    select
        cast(customers.customer_key as {{ dbt.type_string() }}) as customer_key,
        cast(as_of.as_of_date as date) as as_of_date,
        {%- for window, days in order_windows %}
            {%- set column = 'n_orders_in_' ~ window ~ '_window' %}
            cast(coalesce(order_window_features.{{ column }}, 0) as {{ count_type }}) as {{ column }},
        {%- endfor %}
        cast(coalesce(order_summary.n_orders, 0) as {{ count_type }}) as n_orders,
        {%- for window, days in order_windows %}
            {%- set column = 'net_revenue_amount_in_' ~ window ~ '_window' %}
            cast(coalesce(order_window_features.{{ column }}, 0) as {{ money }}) as {{ column }},
        {%- endfor %}
        cast(coalesce(order_summary.net_revenue, 0) as {{ money }}) as net_revenue_amount,
        cast({{ money_per('order_summary.net_revenue', 'order_summary.n_orders') }} as {{ money }}) as aov_amount,
        cast(
            {{ money_per(
                'order_window_features.net_revenue_amount_aov_window', 'order_window_features.n_orders_aov_window'
            ) }} as {{ money }}
        ) as aov_amount_in_window,
        cast(order_summary.days_since_last_order as {{ count_type }}) as days_since_last_order,
        cast(order_summary.days_since_first_order as {{ count_type }}) as days_since_first_order,
        cast(order_summary.mean_days_between_orders as {{ rate_type }}) as mean_days_between_orders,
        cast(
            cast(order_summary.item_refund_amount as {{ rate_type }})
            / nullif(order_summary.gross_amount, 0) as {{ rate_type }}
        ) as refund_share_of_gross,
        cast(
            cast(order_summary.discount_amount as {{ rate_type }})
            / nullif(order_summary.gross_amount, 0) as {{ rate_type }}
        ) as discount_share_of_gross,
        cast(
            cast(order_summary.n_orders_with_discount_code as {{ rate_type }})
            / nullif(order_summary.n_orders, 0) as {{ rate_type }}
        ) as discount_code_order_share
    from customers
    cross join as_of
    left join order_summary
        on customers.customer_key = order_summary.customer_key
    left join order_window_features
        on customers.customer_key = order_window_features.customer_key
)

select * from final
