-- One row per campaign: the segment its audience maps to (seed campaign_audience_segments), the
-- segment segment_kpis credits with the campaign's spend and attributed orders (decision 61). A
-- campaign whose audience has no row keeps a null segment (and fails the relationships test on
-- stg_marketing__campaigns.target_audience).
with

campaigns as (
    select
        campaign_id,
        campaign_name,
        channel,
        target_audience
    from {{ ref('stg_marketing__campaigns') }}
),

audiences as (
    select
        target_audience,
        segment_key
    from {{ ref('campaign_audience_segments') }}
),

final as (
    select
        campaigns.campaign_id,
        campaigns.campaign_name,
        campaigns.channel,
        campaigns.target_audience,
        audiences.segment_key as audience_segment_key
    from campaigns
    left join audiences
        on campaigns.target_audience = audiences.target_audience
)

select * from final
