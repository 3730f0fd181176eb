-- Scores and tiers are functions of the value they rank: equal values never get different scores
-- or tiers, and a better value never gets a worse score or tier. For each measure, the distinct
-- values are sorted best first; a value whose best score/tier is worse than the worst score/tier of
-- the next-worse value, or that has several scores/tiers, is a failure.
with

measures as (
    select
        'recency' as measure,
        -cast(recency_days as {{ type_double() }}) as measure_value,
        r_score as score
    from {{ ref('customer_rfm') }}
    where has_orders
    union all
    select
        'frequency' as measure,
        cast(frequency as {{ type_double() }}) as measure_value,
        f_score as score
    from {{ ref('customer_rfm') }}
    where frequency > 0
    union all
    select
        'monetary' as measure,
        cast(monetary_amount as {{ type_double() }}) as measure_value,
        m_score as score
    from {{ ref('customer_rfm') }}
    where frequency > 0
    union all
    select
        'historical_clv' as measure,
        cast(customer_value.historical_clv_amount as {{ type_double() }}) as measure_value,
        -value_tiers.sort_order as score
    from {{ ref('customer_value') }} as customer_value
    inner join {{ ref('value_tiers') }} as value_tiers
        on customer_value.value_tier = value_tiers.tier_code
    where customer_value.has_orders and customer_value.historical_clv_amount >= 0
    union all
    select
        'contribution' as measure,
        cast(customer_value.contribution_amount as {{ type_double() }}) as measure_value,
        -value_tiers.sort_order as score
    from {{ ref('customer_value') }} as customer_value
    inner join {{ ref('value_tiers') }} as value_tiers
        on customer_value.contribution_tier = value_tiers.tier_code
    where customer_value.has_orders and customer_value.contribution_amount >= 0
),

per_value as (
    select
        measure,
        measure_value,
        min(score) as min_score,
        max(score) as max_score
    from measures
    group by measure, measure_value
),

ordered as (
    select
        measure,
        measure_value,
        min_score,
        max_score,
        lag(max_score) over (partition by measure order by measure_value) as next_worse_max_score
    from per_value
)

select *
from ordered
where min_score <> max_score or min_score < next_worse_max_score
