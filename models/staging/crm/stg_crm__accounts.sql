with

accounts as (
    select
        account_id,
        account_name,
        industry,
        employee_band,
        revenue_band,
        country_code,
        created_at,
        updated_at,
        _loaded_at
    from {{ ref('base_crm__accounts') }}
    where _quarantine_reason is null and _dedupe_rank = 1
)

select * from accounts
