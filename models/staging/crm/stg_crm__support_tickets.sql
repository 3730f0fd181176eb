with

support_tickets as (
    select
        ticket_id,
        contact_id,
        email,
        category,
        sentiment_score,
        status,
        created_at,
        updated_at,
        _loaded_at
    from {{ ref('base_crm__support_tickets') }}
    where _quarantine_reason is null and _dedupe_rank = 1
)

select * from support_tickets
