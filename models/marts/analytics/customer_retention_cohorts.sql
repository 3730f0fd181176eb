-- One row per cohort (month of a customer's first counted order) and month since: the cohort's
-- customers, how many ordered in that month (retention), their orders and net revenue. Months run
-- from the cohort's to the as-of date's; a month without any order in the business has no row. The
-- as-of month is flagged when the as-of date is not its last day (a partial month).
with

as_of as (
    select
        as_of_date,
        cast({{ dbt.date_trunc('month', 'as_of_date') }} as date) as as_of_month,
        cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, dbt.date_trunc('month', 'as_of_date'))) }} as date)
            as as_of_month_end
    from {{ ref('int_as_of_date') }}
),

orders as (
    select
        orders.customer_key,
        cast({{ dbt.date_trunc('month', 'orders.order_date') }} as date) as order_month,
        orders.net_amount
    from {{ ref('fct_orders') }} as orders
    cross join as_of
    where
        orders.is_counted_order
        and orders.customer_key is not null
        and orders.order_date <= as_of.as_of_date
),

cohorts as (
    select
        customer_key,
        min(order_month) as cohort_month
    from orders
    group by customer_key
),

cohort_sizes as (
    select
        cohort_month,
        count(*) as n_cohort_customers
    from cohorts
    group by cohort_month
),

activity_months as (
    select distinct order_month as activity_month
    from orders
),

activity as (
    select
        cohorts.cohort_month,
        orders.order_month as activity_month,
        count(distinct orders.customer_key) as n_active_customers,
        count(*) as n_orders,
        sum(orders.net_amount) as net_revenue_amount
    from orders
    inner join cohorts
        on orders.customer_key = cohorts.customer_key
    group by cohorts.cohort_month, orders.order_month
),

cells as (
    select
        cohort_sizes.cohort_month,
        activity_months.activity_month,
        {{ dbt.datediff('cohort_sizes.cohort_month', 'activity_months.activity_month', 'month') }}
            as months_since_first_order,
        cohort_sizes.n_cohort_customers
    from cohort_sizes
    inner join activity_months
        on cohort_sizes.cohort_month <= activity_months.activity_month
),

final as (
    select
        as_of.as_of_date,
        cells.cohort_month,
        cells.activity_month,
        cast(cells.months_since_first_order as {{ dbt.type_int() }}) as months_since_first_order,
        cells.n_cohort_customers,
        cast(coalesce(activity.n_active_customers, 0) as {{ dbt.type_bigint() }}) as n_active_customers,
        {{ round_double('cast(coalesce(activity.n_active_customers, 0) as ' ~ type_double()
            ~ ') / cells.n_cohort_customers', 6) }} as retention_rate,
        cast(coalesce(activity.n_orders, 0) as {{ dbt.type_bigint() }}) as n_orders,
        cast(coalesce(activity.net_revenue_amount, 0) as {{ money_type(wide=true) }}) as net_revenue_amount,
        cells.activity_month = as_of.as_of_month and as_of.as_of_date < as_of.as_of_month_end as is_partial_month
    from cells
    cross join as_of
    left join activity
        on
            cells.cohort_month = activity.cohort_month
            and cells.activity_month = activity.activity_month
)

select * from final
