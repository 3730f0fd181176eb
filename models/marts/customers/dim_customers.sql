-- One row per resolved person (customer_key): the golden record and the identity summary.
-- Survivorship (docs/decisions.md): each CRM attribute comes from the person's most recently updated
-- contact that has it (ties: contact_id); the email prefers a verified one; consent is the latest
-- event per channel and purpose.
{%- set crm_attributes = [
    'first_name', 'last_name', 'birth_date', 'gender', 'city', 'region', 'postcode', 'country_code',
    'income_band', 'job_title', 'account_id', 'phone_e164',
] %}
{#- channel and purpose pairs of stg_crm__consent_events (its accepted_values test lists the same) #}
{%- set consents = [
    ('email', 'marketing'), ('email', 'personalization'), ('sms', 'marketing'), ('phone', 'marketing'),
    ('push', 'marketing'), ('ads', 'analytics'), ('ads', 'personalization'),
] %}
with

identifiers as (
    select
        identifier_type,
        identifier_value,
        customer_key,
        is_anchor,
        first_seen_at
    from {{ ref('int_identity_identifiers') }}
    where customer_key is not null
),

contacts as (
    select
        contact_id,
        email,
        is_email_verified,
        {%- for attribute in crm_attributes %}
            {{ attribute }},
        {%- endfor %}
        updated_at
    from {{ ref('stg_crm__contacts') }}
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

consent_events as (
    select
        consent_event_id,
        contact_id,
        channel,
        purpose,
        is_granted,
        occurred_at
    from {{ ref('stg_crm__consent_events') }}
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
        shipping_country_code,
        sales_channel,
        is_cancelled,
        is_test
    from {{ ref('fct_orders') }}
    where customer_key is not null
),

sessions as (
    select
        customer_key,
        started_at,
        is_bot
    from {{ ref('fct_sessions') }}
    where customer_key is not null
),

customer_contacts as (
    select
        identifiers.customer_key,
        contacts.*
    from contacts
    inner join identifiers
        on
            identifiers.identifier_type = 'crm_contact_id'
            and contacts.contact_id = identifiers.identifier_value
),

-- one ranking per attribute: contacts with the value first, most recently updated first
contact_attribute_ranks as (
    select
        customer_key,
        contact_id,
        email,
        {%- for attribute in crm_attributes %}
            {{ attribute }},
            row_number() over (
                partition by customer_key
                order by case when {{ attribute }} is null then 1 else 0 end, updated_at desc, contact_id asc
            ) as {{ attribute }}_rank,
        {%- endfor %}
        row_number() over (
            partition by customer_key
            order by
                case when email is null then 1 else 0 end,
                case when is_email_verified then 0 else 1 end,
                updated_at desc,
                contact_id asc
        ) as email_rank,
        row_number() over (
            partition by customer_key
            order by updated_at desc, contact_id asc
        ) as contact_rank,
        is_email_verified
    from customer_contacts
),

crm_golden as (
    select
        customer_key,
        max(case when contact_rank = 1 then contact_id end) as primary_crm_contact_id,
        max(case when email_rank = 1 then email end) as crm_email,
        {{ dbt.bool_or('case when email_rank = 1 and email is not null then is_email_verified end') }}
            as is_email_verified,
        {%- for attribute in crm_attributes %}
            max(case when {{ attribute }}_rank = 1 then {{ attribute }} end) as {{ attribute }},
        {%- endfor %}
        count(*) as n_crm_contacts
    from contact_attribute_ranks
    group by customer_key
),

-- Second source: the person's most recently updated Shopify customer record.
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
            order by shop_customers.updated_at desc, shop_customers.customer_id desc
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

-- Last resort for guest buyers: the email and phone first seen most recently, and the latest
-- order's shipping country.
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
        identity_customers.customer_key,
        max(
            case when identifier_ranks.identifier_type = 'email' then identifier_ranks.identifier_value end
        ) as email,
        max(
            case when identifier_ranks.identifier_type = 'phone' then identifier_ranks.identifier_value end
        ) as phone_e164,
        max(order_ranks.shipping_country_code) as country_code
    from (select distinct customer_key from identifiers) as identity_customers
    left join identifier_ranks
        on
            identity_customers.customer_key = identifier_ranks.customer_key
            and identifier_ranks.recency_rank = 1
    left join order_ranks
        on
            identity_customers.customer_key = order_ranks.customer_key
            and order_ranks.recency_rank = 1
    group by identity_customers.customer_key
),

order_summary as (
    select
        customer_key,
        min(case when not is_cancelled and not is_test then created_at end) as first_order_at,
        max(case when not is_cancelled and not is_test then created_at end) as last_order_at,
        count(case when not is_cancelled and not is_test then order_id end) as n_orders,
        max(case when is_test then 1 else 0 end) = 1 as has_test_orders,
        max(case when sales_channel = 'web' then 1 else 0 end) = 1 as has_web_orders,
        max(case when sales_channel = 'pos' then 1 else 0 end) = 1 as has_pos_orders
    from orders
    group by customer_key
),

session_summary as (
    select
        customer_key,
        min(started_at) as first_session_at,
        count(*) as n_sessions
    from sessions
    where not is_bot
    group by customer_key
),

-- latest consent event per person, channel and purpose (ties: consent_event_id)
consent_ranks as (
    select
        identifiers.customer_key,
        consent_events.channel,
        consent_events.purpose,
        consent_events.is_granted,
        row_number() over (
            partition by identifiers.customer_key, consent_events.channel, consent_events.purpose
            order by consent_events.occurred_at desc, consent_events.consent_event_id desc
        ) as consent_rank
    from consent_events
    inner join identifiers
        on
            identifiers.identifier_type = 'crm_contact_id'
            and consent_events.contact_id = identifiers.identifier_value
),

consent_state as (
    select
        {%- for channel, purpose in consents %}
            {%- set is_pair = "channel = '" ~ channel ~ "' and purpose = '" ~ purpose ~ "'" %}
            {%- set granted = "case when " ~ is_pair ~ " then is_granted end" %}
            {{ dbt.bool_or(granted) }} as has_{{ channel }}_{{ purpose }}_consent,
        {%- endfor %}
        customer_key
    from consent_ranks
    where consent_rank = 1
    group by customer_key
),

identity_summary as (
    select
        customer_key,
        max(case when is_anchor then identifier_type end) as anchor_identifier_type,
        min(first_seen_at) as first_seen_at,
        count(*) as n_identifiers,
        count(case when identifier_type = 'email' then identifier_value end) as n_emails,
        count(case when identifier_type = 'phone' then identifier_value end) as n_phones,
        count(case when identifier_type = 'shop_customer_id' then identifier_value end) as n_shop_customer_ids,
        count(case when identifier_type = 'web_user_id' then identifier_value end) as n_web_user_ids,
        count(case when identifier_type = 'cookie' then identifier_value end) as n_cookies
    from identifiers
    group by customer_key
),

final as (
    select
        identity_summary.customer_key,
        identity_summary.anchor_identifier_type,
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
        {%- for channel, purpose in consents %}
            consent_state.has_{{ channel }}_{{ purpose }}_consent,
        {%- endfor %}
        identity_summary.first_seen_at,
        order_summary.first_order_at,
        order_summary.last_order_at,
        coalesce(order_summary.n_orders, 0) as n_orders,
        session_summary.first_session_at,
        coalesce(session_summary.n_sessions, 0) as n_sessions,
        crm_golden.primary_crm_contact_id is not null as has_crm_contact,
        coalesce(order_summary.has_web_orders, false) as has_web_orders,
        coalesce(order_summary.has_pos_orders, false) as has_pos_orders,
        session_summary.customer_key is not null as has_web_sessions,
        coalesce(order_summary.has_test_orders, false) as is_test_account,
        identity_summary.n_identifiers,
        coalesce(crm_golden.n_crm_contacts, 0) as n_crm_contacts,
        identity_summary.n_emails,
        identity_summary.n_phones,
        identity_summary.n_shop_customer_ids,
        identity_summary.n_web_user_ids,
        identity_summary.n_cookies
    from identity_summary
    left join crm_golden
        on identity_summary.customer_key = crm_golden.customer_key
    left join accounts
        on crm_golden.account_id = accounts.account_id
    left join shop_golden
        on identity_summary.customer_key = shop_golden.customer_key
    left join fallbacks
        on identity_summary.customer_key = fallbacks.customer_key
    left join order_summary
        on identity_summary.customer_key = order_summary.customer_key
    left join session_summary
        on identity_summary.customer_key = session_summary.customer_key
    left join consent_state
        on identity_summary.customer_key = consent_state.customer_key
)

select * from final
