with

email_events as (
    select
        email_event_id,
        campaign_id,
        email,
        event_type,
        occurred_at,
        url,
        _loaded_at
    from {{ ref('base_marketing__email_events') }}
    where _quarantine_reason is null and _dedupe_rank = 1
)

select * from email_events
