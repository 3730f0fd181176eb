-- One row per buyer (a customer with a counted order dated on or before the as-of date): the BG/NBD and
-- Gamma-Gamma inputs in the usual (lifetimes) conventions, in days, from the order summary. Orders of
-- the same day are one purchase: frequency = order days - 1, recency = first to last order day, tenure
-- (T) = first order day to the as-of date, monetary value = mean net amount of the repeat order days
-- (first day excluded).
{%- set money = money_type(wide=true) %}

with

order_summary as (
    select
        customer_key,
        as_of_date,
        first_order_date,
        last_order_date,
        n_order_days,
        net_revenue,
        repeat_net_revenue
    from {{ ref('int_customer_order_summary') }}
),

final as (
    select
        customer_key,
        as_of_date,
        first_order_date,
        last_order_date,
        cast(n_order_days as {{ dbt.type_bigint() }}) as n_order_days,
        cast(n_order_days - 1 as {{ dbt.type_bigint() }}) as frequency,
        cast(
            {{ dbt.datediff('first_order_date', 'last_order_date', 'day') }}
            as {{ dbt.type_bigint() }}
        ) as recency_days,
        cast(
            {{ dbt.datediff('first_order_date', 'as_of_date', 'day') }}
            as {{ dbt.type_bigint() }}
        ) as tenure_days,
        cast(net_revenue as {{ money }}) as net_amount,
        cast(repeat_net_revenue as {{ money }}) as repeat_net_amount,
        cast({{ money_per('repeat_net_revenue', 'n_order_days - 1') }} as {{ money }}) as monetary_value
    from order_summary
)

select * from final
