-- One row per person of the customer spine: the golden record. Survivorship (docs/decisions.md 17):
-- each CRM attribute comes from the person's most recently updated contact that has it (ties:
-- contact_id); the email prefers a verified one; then the person's most recently updated Shopify
-- customer; for guest buyers, the identifiers first seen most recently and the latest order's
-- shipping country. Nullable sort keys say where nulls go, so every engine picks the same record.
{%- set crm_attributes = crm_golden_attributes() %}
with

spine as (
    select customer_key
    from {{ ref('int_customer_spine') }}
),

identifiers as (
    select
        identifier_type,
        identifier_value,
        customer_key,
        first_seen_at
    from {{ ref('int_identity_identifiers') }}
    where customer_key is not null
),

crm_golden as (
    select
        customer_key,
        primary_crm_contact_id,
        crm_email,
        is_email_verified,
        {%- for attribute in crm_attributes %}
            {{ attribute }},
        {%- endfor %}
        n_crm_contacts
    from {{ ref('int_customer_crm_attributes') }}
),

accounts as (
    select
        account_id,
        account_name,
        industry,
        employee_band,
        revenue_band
    from {{ ref('stg_crm__accounts') }}
),

shop_customers as (
    select
        customer_id,
        email,
        is_email_verified,
        phone_e164,
        first_name,
        last_name,
        country_code,
        updated_at
    from {{ ref('stg_shopify__customers') }}
),

orders as (
    select
        customer_key,
        order_id,
        created_at,
        shipping_country_code
    from {{ ref('int_orders_resolved') }}
    where customer_key is not null
),

shop_customer_ranks as (
    select
        identifiers.customer_key,
        shop_customers.email,
        shop_customers.is_email_verified,
        shop_customers.phone_e164,
        shop_customers.first_name,
        shop_customers.last_name,
        shop_customers.country_code,
        row_number() over (
            partition by identifiers.customer_key
            order by shop_customers.updated_at desc nulls last, shop_customers.customer_id desc
        ) as recency_rank
    from shop_customers
    inner join identifiers
        on
            identifiers.identifier_type = 'shop_customer_id'
            and cast(shop_customers.customer_id as {{ dbt.type_string() }}) = identifiers.identifier_value
),

shop_golden as (
    select
        customer_key,
        email,
        is_email_verified,
        phone_e164,
        first_name,
        last_name,
        country_code
    from shop_customer_ranks
    where recency_rank = 1
),

identifier_ranks as (
    select
        customer_key,
        identifier_type,
        identifier_value,
        row_number() over (
            partition by customer_key, identifier_type
            order by first_seen_at desc, identifier_value asc
        ) as recency_rank
    from identifiers
    where identifier_type in ('email', 'phone')
),

order_ranks as (
    select
        customer_key,
        shipping_country_code,
        row_number() over (partition by customer_key order by created_at desc, order_id desc) as recency_rank
    from orders
),

fallbacks as (
    select
        spine.customer_key,
        max(
            case when identifier_ranks.identifier_type = 'email' then identifier_ranks.identifier_value end
        ) as email,
        max(
            case when identifier_ranks.identifier_type = 'phone' then identifier_ranks.identifier_value end
        ) as phone_e164,
        max(order_ranks.shipping_country_code) as country_code
    from spine
    left join identifier_ranks
        on
            spine.customer_key = identifier_ranks.customer_key
            and identifier_ranks.recency_rank = 1
    left join order_ranks
        on
            spine.customer_key = order_ranks.customer_key
            and order_ranks.recency_rank = 1
    group by spine.customer_key
),

final as (
    select
        spine.customer_key,
        crm_golden.primary_crm_contact_id,
        coalesce(crm_golden.crm_email, shop_golden.email, fallbacks.email) as email,
        case
            when crm_golden.crm_email is not null then coalesce(crm_golden.is_email_verified, false)
            when shop_golden.email is not null then coalesce(shop_golden.is_email_verified, false)
            else false
        end as is_email_verified,
        coalesce(crm_golden.phone_e164, shop_golden.phone_e164, fallbacks.phone_e164) as phone_e164,
        coalesce(crm_golden.first_name, shop_golden.first_name) as first_name,
        coalesce(crm_golden.last_name, shop_golden.last_name) as last_name,
        crm_golden.birth_date,
        crm_golden.gender,
        crm_golden.city,
        crm_golden.region,
        crm_golden.postcode,
        coalesce(crm_golden.country_code, shop_golden.country_code, fallbacks.country_code) as country_code,
        crm_golden.income_band,
        crm_golden.job_title,
        crm_golden.account_id,
        accounts.account_name,
        accounts.industry,
        accounts.employee_band,
        accounts.revenue_band,
        crm_golden.account_id is not null as is_b2b,
        crm_golden.primary_crm_contact_id is not null as has_crm_contact,
        coalesce(crm_golden.n_crm_contacts, 0) as n_crm_contacts
    from spine
    left join crm_golden
        on spine.customer_key = crm_golden.customer_key
    left join accounts
        on crm_golden.account_id = accounts.account_id
    left join shop_golden
        on spine.customer_key = shop_golden.customer_key
    left join fallbacks
        on spine.customer_key = fallbacks.customer_key
)

select * from final
