-- One lifecycle stage per customer (every customer_key of dim_customers) as of the as-of date.
-- The first rule that holds wins (docs block lifecycle_stages): prospect, new, reactivated, churned,
-- dormant, at_risk, active. At-risk follows the customer's own purchase rhythm where there is one.
{%- set t = lifecycle_thresholds() %}
{%- set double_type = type_double() %}

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
        first_order_date,
        last_order_date,
        days_since_first_order,
        days_since_last_order,
        reactivation_gap_days,
        n_orders,
        mean_days_between_orders
    from {{ ref('int_customer_order_summary') }}
),

thresholds as (
    select
        customer_key,
        n_orders >= {{ t.rhythm_min_orders }} as has_purchase_rhythm,
        case
            when n_orders >= {{ t.rhythm_min_orders }}
                then
                    least(
                        greatest(
                            {{ t.rhythm_multiplier }} * mean_days_between_orders,
                            cast({{ t.rhythm_min_at_risk }} as {{ double_type }})
                        ),
                        cast({{ t.dormant }} as {{ double_type }})
                    )
            else cast({{ t.at_risk }} as {{ double_type }})
        end as at_risk_after_days
    from order_summary
),

final as (
    select
        customers.customer_key,
        as_of.as_of_date,
        case
            when order_summary.customer_key is null then 'prospect'
            when order_summary.days_since_first_order < {{ t.new }} then 'new'
            when
                order_summary.reactivation_gap_days >= {{ t.dormant }}
                and order_summary.days_since_last_order < {{ t.reactivated }}
                then 'reactivated'
            when order_summary.days_since_last_order >= {{ t.churned }} then 'churned'
            when order_summary.days_since_last_order >= {{ t.dormant }} then 'dormant'
            when order_summary.days_since_last_order >= thresholds.at_risk_after_days then 'at_risk'
            else 'active'
        end as lifecycle_stage,
        order_summary.first_order_date,
        order_summary.last_order_date,
        order_summary.days_since_first_order,
        order_summary.days_since_last_order,
        order_summary.reactivation_gap_days,
        coalesce(order_summary.n_orders, 0) as n_orders,
        order_summary.mean_days_between_orders,
        coalesce(thresholds.has_purchase_rhythm, false) as has_purchase_rhythm,
        thresholds.at_risk_after_days
    from customers
    cross join as_of
    left join order_summary
        on customers.customer_key = order_summary.customer_key
    left join thresholds
        on customers.customer_key = thresholds.customer_key
)

select * from final
