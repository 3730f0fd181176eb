-- Each person's counted orders are numbered 1..n without gaps or repeats, with exactly one first
-- order. Returns the persons whose sequence is broken.
with

counted as (
    select
        customer_key,
        customer_order_number,
        is_first_order
    from {{ ref('fct_orders') }}
    where is_counted_order and customer_key is not null
),

per_customer as (
    select
        customer_key,
        count(*) as n_orders,
        count(distinct customer_order_number) as n_distinct_numbers,
        min(customer_order_number) as min_number,
        max(customer_order_number) as max_number,
        sum(case when is_first_order then 1 else 0 end) as n_first_orders
    from counted
    group by customer_key
)

select *
from per_customer
where
    n_distinct_numbers <> n_orders
    or min_number is distinct from 1
    or max_number is distinct from n_orders
    or n_first_orders <> 1
