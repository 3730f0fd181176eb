with

consent_events as (
    select
        consent_event_id,
        contact_id,
        channel,
        purpose,
        is_granted,
        occurred_at,
        _loaded_at
    from {{ ref('base_crm__consent_events') }}
    where _quarantine_reason is null and _dedupe_rank = 1
)

select * from consent_events
