with

customers as (
    select
        customer_id,
        email,
        phone_e164,
        first_name,
        last_name,
        account_state,
        is_email_verified,
        has_accepted_marketing,
        marketing_consent_updated_at,
        tags,
        currency_code,
        country_code,
        created_at,
        updated_at,
        _loaded_at
    from {{ ref('base_shopify__customers') }}
    where _quarantine_reason is null and _dedupe_rank = 1
)

select * from customers
