with

ad_spend as (
    select
        spend_date,
        campaign_id,
        platform,
        spend_amount_local,
        currency_code,
        spend_amount,
        impressions,
        clicks,
        _loaded_at
    from {{ ref('base_marketing__ad_spend') }}
    where _quarantine_reason is null and _dedupe_rank = 1
)

select * from ad_spend
