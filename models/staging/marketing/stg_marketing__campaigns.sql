with

campaigns as (
    select
        campaign_id,
        campaign_name,
        channel,
        target_audience,
        start_date,
        end_date,
        _loaded_at
    from {{ ref('base_marketing__campaigns') }}
    where _quarantine_reason is null and _dedupe_rank = 1
)

select * from campaigns
