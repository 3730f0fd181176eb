-- Every usable order and order line reaches the facts exactly once: row counts equal staging's.
with

counts as (
    select
        (select count(*) from {{ ref('stg_shopify__orders') }}) as staging_orders,
        (select count(*) from {{ ref('fct_orders') }}) as fact_orders,
        (select count(*) from {{ ref('stg_shopify__order_lines') }}) as staging_order_lines,
        (select count(*) from {{ ref('fct_order_lines') }}) as fact_order_lines
)

select *
from counts
where staging_orders <> fact_orders or staging_order_lines <> fact_order_lines
