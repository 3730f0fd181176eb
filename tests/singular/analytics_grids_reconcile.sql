-- The cohort and RFM grids add up to their sources: the cohorts' orders and revenue to the counted
-- orders up to the as-of date (fct_orders), their month-0 customers to the customers with such an
-- order; the RFM grid's customers to customer_rfm, in rfm_score_levels^2 + 1 cells. One row per
-- mismatch.
{%- set levels = checked_var('rfm_score_levels') %}
with

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

counted_orders as (
    select
        count(*) as n_orders,
        count(distinct orders.customer_key) as n_customers,
        sum(orders.net_amount) as net_revenue_amount
    from {{ ref('fct_orders') }} as orders
    cross join as_of
    where
        orders.is_counted_order
        and orders.customer_key is not null
        and orders.order_date <= as_of.as_of_date
),

cohort_totals as (
    select
        sum(n_orders) as n_orders,
        sum(case when months_since_first_order = 0 then n_cohort_customers else 0 end) as n_customers,
        sum(net_revenue_amount) as net_revenue_amount
    from {{ ref('customer_retention_cohorts') }}
),

grid_totals as (
    select
        sum(n_customers) as n_customers,
        count(*) as n_cells
    from {{ ref('rfm_grid') }}
),

rfm_totals as (
    select count(*) as n_customers
    from {{ ref('customer_rfm') }}
),

checks as (
    select
        'cohort orders' as what,
        cohort_totals.n_orders = counted_orders.n_orders as holds
    from cohort_totals
    cross join counted_orders
    union all
    select
        'cohort customers' as what,
        cohort_totals.n_customers = counted_orders.n_customers as holds
    from cohort_totals
    cross join counted_orders
    union all
    select
        'cohort revenue' as what,
        cohort_totals.net_revenue_amount = counted_orders.net_revenue_amount as holds
    from cohort_totals
    cross join counted_orders
    union all
    select
        'rfm grid customers' as what,
        grid_totals.n_customers = rfm_totals.n_customers as holds
    from grid_totals
    cross join rfm_totals
    union all
    select
        'rfm grid cells' as what,
        grid_totals.n_cells = {{ levels * levels + 1 }} as holds
    from grid_totals
)

select what
from checks
where not coalesce(holds, false)
