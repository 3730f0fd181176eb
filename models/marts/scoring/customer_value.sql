-- Value per customer (every customer_key of dim_customers) as of the as-of date: historical CLV
-- (net revenue to date), contribution after the costs a customer causes, and a tier for each
-- (docs block value_measures). Unit costs are vars; tiers come from the seed value_tiers.
{%- set shipping_cost = checked_var('value_shipping_cost_per_order') %}
{%- set return_cost = checked_var('value_return_handling_cost_per_item') %}
{%- set support_cost = checked_var('value_support_cost_per_ticket') %}
{%- set money = money_type() %}

with

customers as (
    select customer_key
    from {{ ref('dim_customers') }}
),

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

order_summary as (
    select
        customer_key,
        n_orders,
        gross_amount,
        discount_amount,
        item_refund_amount,
        net_revenue,
        shipping_charged_amount,
        n_items_refunded
    from {{ ref('int_customer_order_summary') }}
),

support as (
    select
        customer_key,
        n_tickets
    from {{ ref('customer_features') }}
),

amounts as (
    select
        customers.customer_key,
        order_summary.customer_key is not null as has_orders,
        coalesce(order_summary.n_orders, 0) as n_orders,
        coalesce(order_summary.gross_amount, 0) as gross_amount,
        coalesce(order_summary.discount_amount, 0) as discount_amount,
        coalesce(order_summary.item_refund_amount, 0) as item_refund_amount,
        coalesce(order_summary.net_revenue, 0) as historical_clv_amount,
        coalesce(order_summary.shipping_charged_amount, 0) as shipping_charged_amount,
        coalesce(order_summary.n_orders, 0) * {{ shipping_cost }} as shipping_cost_amount,
        coalesce(order_summary.n_items_refunded, 0) as n_items_refunded,
        coalesce(order_summary.n_items_refunded, 0) * {{ return_cost }} as return_handling_cost_amount,
        coalesce(support.n_tickets, 0) as n_support_tickets,
        coalesce(support.n_tickets, 0) * {{ support_cost }} as support_cost_amount
    from customers
    left join order_summary
        on customers.customer_key = order_summary.customer_key
    left join support
        on customers.customer_key = support.customer_key
),

contributions as (
    select
        *,
        -- back to 64-bit decimals: each subtraction widens the type, and 128-bit values rank slower
        cast(shipping_cost_amount - shipping_charged_amount as {{ money }}) as shipping_subsidy_amount,
        cast(
            historical_clv_amount
            - (shipping_cost_amount - shipping_charged_amount)
            - return_handling_cost_amount
            - support_cost_amount
            as {{ money }}
        ) as contribution_amount
    from amounts
),

-- rank buyers with a non-negative value; n_above = how many of them have a strictly higher value
ranked as (
    select
        *,
        case
            when has_orders and historical_clv_amount >= 0
                then rank() over (
                        partition by has_orders and historical_clv_amount >= 0
                        order by historical_clv_amount desc
                    ) - 1
        end as clv_n_above,
        count(case when has_orders and historical_clv_amount >= 0 then customer_key end) over () as clv_n_ranked,
        case
            when has_orders and contribution_amount >= 0
                then rank() over (
                        partition by has_orders and contribution_amount >= 0
                        order by contribution_amount desc
                    ) - 1
        end as contribution_n_above,
        count(case when has_orders and contribution_amount >= 0 then customer_key end) over ()
            as contribution_n_ranked
    from contributions
),

percentile_tiers as (
    select
        tier_code,
        top_share_from,
        top_share_to
    from {{ ref('value_tiers') }}
    where top_share_from is not null and top_share_to is not null
),

final as (
    select
        ranked.customer_key,
        as_of.as_of_date,
        ranked.has_orders,
        cast(ranked.n_orders as {{ dbt.type_bigint() }}) as n_orders,
        cast(ranked.gross_amount as {{ money }}) as gross_amount,
        cast(ranked.discount_amount as {{ money }}) as discount_amount,
        cast(ranked.item_refund_amount as {{ money }}) as item_refund_amount,
        cast(ranked.historical_clv_amount as {{ money }}) as historical_clv_amount,
        cast(ranked.shipping_charged_amount as {{ money }}) as shipping_charged_amount,
        cast(ranked.shipping_cost_amount as {{ money }}) as shipping_cost_amount,
        cast(ranked.shipping_subsidy_amount as {{ money }}) as shipping_subsidy_amount,
        cast(ranked.n_items_refunded as {{ dbt.type_bigint() }}) as n_items_refunded,
        cast(ranked.return_handling_cost_amount as {{ money }}) as return_handling_cost_amount,
        cast(ranked.n_support_tickets as {{ dbt.type_bigint() }}) as n_support_tickets,
        cast(ranked.support_cost_amount as {{ money }}) as support_cost_amount,
        cast(ranked.contribution_amount as {{ money }}) as contribution_amount,
        cast(ranked.clv_n_above as {{ dbt.type_bigint() }}) as clv_n_above,
        case
            when ranked.historical_clv_amount < 0 then 'negative'
            when ranked.clv_n_above is null then 'no_orders'
            else clv_tiers.tier_code
        end as value_tier,
        cast(ranked.contribution_n_above as {{ dbt.type_bigint() }}) as contribution_n_above,
        case
            when ranked.contribution_amount < 0 then 'negative'
            when ranked.contribution_n_above is null then 'no_orders'
            else contribution_tiers.tier_code
        end as contribution_tier
    from ranked
    cross join as_of
    -- the percentile tier holding n_above / n_ranked, tested as n_above >= from × n_ranked and
    -- n_above < to × n_ranked: exact decimal arithmetic, no floating-point boundary. The seed tiles
    -- [0, 1] (tested), so a ranked customer matches exactly one row; a range join to a handful of
    -- rows (no hash join back on customer_key).
    left join percentile_tiers as clv_tiers
        on
            ranked.clv_n_above >= clv_tiers.top_share_from * ranked.clv_n_ranked
            and ranked.clv_n_above < clv_tiers.top_share_to * ranked.clv_n_ranked
    left join percentile_tiers as contribution_tiers
        on
            ranked.contribution_n_above >= contribution_tiers.top_share_from * ranked.contribution_n_ranked
            and ranked.contribution_n_above < contribution_tiers.top_share_to * ranked.contribution_n_ranked
)

select * from final
