with

account_technologies as (
    select
        account_id,
        technology,
        technology_category,
        first_detected_at,
        last_detected_at,
        _loaded_at
    from {{ ref('base_crm__account_technologies') }}
    where _quarantine_reason is null and _dedupe_rank = 1
)

select * from account_technologies
