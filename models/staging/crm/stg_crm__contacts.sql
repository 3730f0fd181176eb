with

contacts as (
    select
        contact_id,
        email,
        phone_e164,
        first_name,
        last_name,
        birth_date,
        gender,
        city,
        region,
        postcode,
        country_code,
        income_band,
        job_title,
        account_id,
        is_email_verified,
        created_at,
        updated_at,
        _loaded_at
    from {{ ref('base_crm__contacts') }}
    where _quarantine_reason is null and _dedupe_rank = 1
)

select * from contacts
