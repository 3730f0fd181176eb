-- One row per buyer (a customer with a counted order dated on or before the as-of date): the BG/NBD and
-- Gamma-Gamma inputs in the usual (lifetimes) conventions, in days. Orders of the same day are one
-- purchase: frequency = order days - 1, recency = first to last order day, tenure (T) = first order
-- day to the as-of date, monetary value = mean net amount of the repeat order days (first day excluded).
{%- set money_type = 'decimal(28, 6)' %}

with

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

orders as (
    select
        fct_orders.customer_key,
        fct_orders.order_date,
        fct_orders.net_amount
    from {{ ref('fct_orders') }} as fct_orders
    cross join as_of
    where
        fct_orders.is_counted_order
        and fct_orders.customer_key is not null
        and fct_orders.order_date <= as_of.as_of_date
),

order_days as (
    select
        customer_key,
        order_date,
        sum(net_amount) as net_amount
    from orders
    group by customer_key, order_date
),

order_days_with_first as (
    select
        customer_key,
        order_date,
        net_amount,
        min(order_date) over (partition by customer_key) as first_order_date
    from order_days
),

per_customer as (
    select
        customer_key,
        min(order_date) as first_order_date,
        max(order_date) as last_order_date,
        count(*) as n_order_days,
        sum(net_amount) as net_amount,
        sum(case when order_date > first_order_date then net_amount end) as repeat_net_amount
    from order_days_with_first
    group by customer_key
),

final as (
    select
        per_customer.customer_key,
        as_of.as_of_date,
        per_customer.first_order_date,
        per_customer.last_order_date,
        cast(per_customer.n_order_days as {{ dbt.type_bigint() }}) as n_order_days,
        cast(per_customer.n_order_days - 1 as {{ dbt.type_bigint() }}) as frequency,
        cast(
            {{ dbt.datediff('per_customer.first_order_date', 'per_customer.last_order_date', 'day') }}
            as {{ dbt.type_bigint() }}
        ) as recency_days,
        cast(
            {{ dbt.datediff('per_customer.first_order_date', 'as_of.as_of_date', 'day') }}
            as {{ dbt.type_bigint() }}
        ) as tenure_days,
        cast(per_customer.net_amount as {{ money_type }}) as net_amount,
        cast(per_customer.repeat_net_amount as {{ money_type }}) as repeat_net_amount,
        cast(per_customer.repeat_net_amount / nullif(per_customer.n_order_days - 1, 0) as {{ money_type }})
            as monetary_value
    from per_customer
    cross join as_of
)

select * from final
