-- One row per campaign and day with spend: the ad spend of every platform added up (base currency).
with

spend as (
    select
        campaign_id,
        spend_date,
        spend_amount
    from {{ ref('stg_marketing__ad_spend') }}
),

final as (
    select
        campaign_id,
        spend_date,
        cast(sum(spend_amount) as {{ money_type(wide=true) }}) as spend_amount
    from spend
    group by campaign_id, spend_date
)

select * from final
