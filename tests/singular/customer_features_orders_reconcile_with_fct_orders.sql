-- Σ over customers of every order count and net revenue (each window and lifetime) = the same
-- figure recomputed from fct_orders: counted orders with a customer_key and order_date in
-- (as_of_date − N days, as_of_date]. Written with dateadd, independently of the model's datediff,
-- so an off-by-one at a window boundary, a lost or duplicated customer, or a fan-out fails here.
{%- set windows = fixed_key_var_items('customer_features_order_windows_days') %}
{%- set measures = [] %}
{%- for window, days in windows %}
    {%- do measures.append('n_orders_in_' ~ window ~ '_window') %}
    {%- do measures.append('net_revenue_amount_in_' ~ window ~ '_window') %}
{%- endfor %}
{%- do measures.append('n_orders') %}
{%- do measures.append('net_revenue_amount') %}
with

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

orders as (
    select
        fct_orders.order_id,
        fct_orders.order_date,
        fct_orders.net_amount,
        as_of.as_of_date
    from {{ ref('fct_orders') }} as fct_orders
    cross join as_of
    where
        fct_orders.is_counted_order
        and fct_orders.customer_key is not null
        and fct_orders.order_date <= as_of.as_of_date
),

expected as (
    select
        {%- for window, days in windows %}
            {%- set in_window = "order_date > " ~ dbt.dateadd('day', -days, 'as_of_date') %}
            count(case when {{ in_window }} then order_id end) as n_orders_in_{{ window }}_window,
            coalesce(
                sum(case when {{ in_window }} then net_amount end), 0
            ) as net_revenue_amount_in_{{ window }}_window,
        {%- endfor %}
        count(order_id) as n_orders,
        coalesce(sum(net_amount), 0) as net_revenue_amount
    from orders
),

actual as (
    select
        {%- for measure in measures %}
            coalesce(sum({{ measure }}), 0) as {{ measure }},
        {%- endfor %}
        count(*) as n_customers
    from {{ ref('customer_features') }}
),

comparison as (
    {%- for measure in measures %}
        select
            '{{ measure }}' as measure,
            cast(expected.{{ measure }} as decimal(28, 6)) as expected_value,
            cast(actual.{{ measure }} as decimal(28, 6)) as actual_value
        from expected
        cross join actual
        {{ "union all" if not loop.last }}
    {%- endfor %}
)

select *
from comparison
where expected_value <> actual_value
