-- Net revenue in fct_orders equals the raw totals minus what staging rejected, to the cent (base
-- currency): every raw order line, order discount and refund line (as typed by the base_ models,
-- one row per raw row) minus the rows quarantine_rows lists for those tables. Row counts tie the
-- same way: raw rows = fact rows + rows in quarantine_rows. Without an order_lines source (var
-- raw_sources) the merchandise comes from each raw order's subtotal instead of its lines.
-- Returns the failing comparisons.
{%- set has_lines = raw_source_enabled('shopify', 'order_lines') %}
with

raw_lines as (
    select
        _quarantine_reason is not null or _dedupe_rank > 1 as is_rejected,
        coalesce(gross_amount, 0) - coalesce(discount_amount, 0) as line_net_amount
    from {{ ref('base_shopify__order_lines') }}
),

raw_merchandise as (
    {%- if has_lines %}
        select
            is_rejected,
            line_net_amount as merchandise_amount
        from raw_lines
    {%- else %}
        select
            _quarantine_reason is not null or _dedupe_rank > 1 as is_rejected,
            coalesce(subtotal_amount, 0) as merchandise_amount
        from {{ ref('base_shopify__orders') }}
    {%- endif %}
),

raw_orders as (
    select
        _quarantine_reason is not null or _dedupe_rank > 1 as is_rejected,
        coalesce(discount_amount, 0) as order_discount_amount
    from {{ ref('base_shopify__orders') }}
),

raw_refund_lines as (
    select
        _quarantine_reason is not null or _dedupe_rank > 1 as is_rejected,
        coalesce(refund_amount, 0) as refund_amount
    from {{ ref('base_shopify__refund_lines') }}
),

facts as (
    select
        (select sum(net_amount) from {{ ref('fct_orders') }}) as net_amount,
        (select count(*) from {{ ref('fct_orders') }}) as n_orders,
        (select count(*) from {{ ref('fct_order_lines') }}) as n_order_lines
),

quarantined as (
    select
        sum(case when source_table = 'orders' then 1 else 0 end) as n_orders,
        sum(case when source_table = 'order_lines' then 1 else 0 end) as n_order_lines
    from {{ ref('quarantine_rows') }}
    where source_system = 'shopify'
),

-- kept = every raw row minus the rejected ones (sums over all rows and over rejected rows)
line_sums as (
    select count(*) as raw_rows
    from raw_lines
),

merchandise_sums as (
    select
        sum(merchandise_amount) as raw_amount,
        sum(case when is_rejected then merchandise_amount else 0 end) as rejected_amount
    from raw_merchandise
),

order_sums as (
    select
        sum(order_discount_amount) as raw_amount,
        sum(case when is_rejected then order_discount_amount else 0 end) as rejected_amount,
        count(*) as raw_rows
    from raw_orders
),

refund_sums as (
    select
        sum(refund_amount) as raw_amount,
        sum(case when is_rejected then refund_amount else 0 end) as rejected_amount
    from raw_refund_lines
),

totals as (
    select
        merchandise_sums.raw_amount - merchandise_sums.rejected_amount
        - (order_sums.raw_amount - order_sums.rejected_amount)
        - (coalesce(refund_sums.raw_amount, 0) - coalesce(refund_sums.rejected_amount, 0)) as expected_net_amount,
        facts.net_amount as actual_net_amount,
        order_sums.raw_rows as raw_orders,
        facts.n_orders + coalesce(quarantined.n_orders, 0) as accounted_orders,
        line_sums.raw_rows as raw_lines,
        facts.n_order_lines + coalesce(quarantined.n_order_lines, 0) as accounted_lines
    from line_sums
    cross join merchandise_sums
    cross join order_sums
    cross join refund_sums
    cross join quarantined
    cross join facts
)

select *
from totals
where
    expected_net_amount is distinct from actual_net_amount
    or raw_orders <> accounted_orders
    or raw_lines <> accounted_lines
