-- Identity evidence: every distinct pair of identifiers seen together on one record, per evidence
-- source, with when it was first and last seen. A record carrying one identifier only gives a row
-- whose right side is null, so that identifier still becomes a node.
{%- set web_user_is_shop_customer = checked_var('identity_web_user_id_is_shop_customer_id') %}
with

contacts as (
    select
        contact_id,
        email,
        phone_e164,
        created_at
    from {{ ref('stg_crm__contacts') }}
),

shop_customers as (
    select
        cast(customer_id as {{ dbt.type_string() }}) as shop_customer_id,
        email,
        phone_e164,
        created_at
    from {{ ref('stg_shopify__customers') }}
),

support_tickets as (
    select
        contact_id,
        email,
        created_at
    from {{ ref('stg_crm__support_tickets') }}
),

-- Each input is read once with its own filter (a CTE read twice may be materialized whole).
order_identities as (
    -- orders repeat the same identifiers many times: distinct combinations first
    select
        cast(customer_id as {{ dbt.type_string() }}) as shop_customer_id,
        email,
        phone_e164,
        min(created_at) as first_observed_at,
        max(created_at) as last_observed_at,
        count(*) as n_observations
    from {{ ref('stg_shopify__orders') }}
    group by
        cast(customer_id as {{ dbt.type_string() }}),
        email,
        phone_e164
),

order_buyers as (
    select
        cast(order_id as {{ dbt.type_string() }}) as transaction_id,
        cast(customer_id as {{ dbt.type_string() }}) as shop_customer_id,
        email
    from {{ ref('stg_shopify__orders') }}
),

purchase_events as (
    select
        user_pseudo_id,
        transaction_id,
        event_at
    from {{ ref('stg_ga4__events') }}
    where transaction_id is not null and not is_bot
),

login_events as (
    select
        user_pseudo_id,
        user_id,
        event_at
    from {{ ref('stg_ga4__events') }}
    where user_id is not null and not is_bot
),

experiment_assignments as (
    select
        user_pseudo_id,
        user_id,
        assigned_at
    from {{ ref('stg_marketing__experiment_assignments') }}
    where user_id is not null
),

-- A purchase event names the Shopify order (transaction_id), which ties the device to the buyer.
purchase_devices as (
    select
        purchase_events.user_pseudo_id,
        order_buyers.shop_customer_id,
        order_buyers.email,
        min(purchase_events.event_at) as first_observed_at,
        max(purchase_events.event_at) as last_observed_at,
        count(*) as n_observations
    from purchase_events
    inner join order_buyers
        on purchase_events.transaction_id = order_buyers.transaction_id
    group by
        purchase_events.user_pseudo_id,
        order_buyers.shop_customer_id,
        order_buyers.email
),

logins as (
    select
        'ga4_event' as evidence_source,
        user_pseudo_id,
        user_id,
        min(event_at) as first_observed_at,
        max(event_at) as last_observed_at,
        count(*) as n_observations
    from login_events
    group by user_pseudo_id, user_id

    union all

    select
        'experiment_assignment' as evidence_source,
        user_pseudo_id,
        user_id,
        min(assigned_at) as first_observed_at,
        max(assigned_at) as last_observed_at,
        count(*) as n_observations
    from experiment_assignments
    group by user_pseudo_id, user_id
),

observations as (
    -- CRM contact: its email and phone
    select
        'crm_contact' as evidence_source,
        'crm_contact_id' as left_type,
        contact_id as left_value,
        'email' as right_type,
        email as right_value,
        created_at as first_observed_at,
        created_at as last_observed_at,
        1 as n_observations
    from contacts
    where email is not null
    union all
    select
        'crm_contact' as evidence_source,
        'crm_contact_id' as left_type,
        contact_id as left_value,
        'phone' as right_type,
        phone_e164 as right_value,
        created_at as first_observed_at,
        created_at as last_observed_at,
        1 as n_observations
    from contacts
    where phone_e164 is not null
    union all
    select
        'crm_contact' as evidence_source,
        'crm_contact_id' as left_type,
        contact_id as left_value,
        null as right_type,
        null as right_value,
        created_at as first_observed_at,
        created_at as last_observed_at,
        1 as n_observations
    from contacts

    -- Support ticket: the contact and the email the ticket came from
    union all
    select
        'support_ticket' as evidence_source,
        'crm_contact_id' as left_type,
        contact_id as left_value,
        'email' as right_type,
        email as right_value,
        created_at as first_observed_at,
        created_at as last_observed_at,
        1 as n_observations
    from support_tickets
    where contact_id is not null and email is not null

    -- Shopify customer record: its email and phone
    union all
    select
        'shop_customer' as evidence_source,
        'shop_customer_id' as left_type,
        shop_customer_id as left_value,
        'email' as right_type,
        email as right_value,
        created_at as first_observed_at,
        created_at as last_observed_at,
        1 as n_observations
    from shop_customers
    where email is not null
    union all
    select
        'shop_customer' as evidence_source,
        'shop_customer_id' as left_type,
        shop_customer_id as left_value,
        'phone' as right_type,
        phone_e164 as right_value,
        created_at as first_observed_at,
        created_at as last_observed_at,
        1 as n_observations
    from shop_customers
    where phone_e164 is not null
    union all
    select
        'shop_customer' as evidence_source,
        'shop_customer_id' as left_type,
        shop_customer_id as left_value,
        null as right_type,
        null as right_value,
        created_at as first_observed_at,
        created_at as last_observed_at,
        1 as n_observations
    from shop_customers

    -- Shopify order: customer id, email and phone (guest checkouts carry no customer id)
    union all
    select
        'shop_order' as evidence_source,
        'shop_customer_id' as left_type,
        shop_customer_id as left_value,
        'email' as right_type,
        email as right_value,
        first_observed_at,
        last_observed_at,
        n_observations
    from order_identities
    where shop_customer_id is not null and email is not null
    union all
    select
        'shop_order' as evidence_source,
        'shop_customer_id' as left_type,
        shop_customer_id as left_value,
        'phone' as right_type,
        phone_e164 as right_value,
        first_observed_at,
        last_observed_at,
        n_observations
    from order_identities
    where shop_customer_id is not null and phone_e164 is not null
    union all
    select
        'shop_order' as evidence_source,
        'email' as left_type,
        email as left_value,
        'phone' as right_type,
        phone_e164 as right_value,
        first_observed_at,
        last_observed_at,
        n_observations
    from order_identities
    where shop_customer_id is null and email is not null and phone_e164 is not null
    union all
    select
        'shop_order' as evidence_source,
        case when shop_customer_id is not null then 'shop_customer_id' else 'email' end as left_type,
        coalesce(shop_customer_id, email) as left_value,
        null as right_type,
        null as right_value,
        first_observed_at,
        last_observed_at,
        n_observations
    from order_identities
    where coalesce(shop_customer_id, email) is not null

    -- GA4 purchase: the device and the order's buyer
    union all
    select
        'ga4_purchase' as evidence_source,
        'cookie' as left_type,
        user_pseudo_id as left_value,
        case when shop_customer_id is not null then 'shop_customer_id' else 'email' end as right_type,
        coalesce(shop_customer_id, email) as right_value,
        first_observed_at,
        last_observed_at,
        n_observations
    from purchase_devices
    where user_pseudo_id is not null and coalesce(shop_customer_id, email) is not null

    -- Logged-in web activity and experiment assignments: the device and the user_id
    union all
    select
        evidence_source,
        'cookie' as left_type,
        user_pseudo_id as left_value,
        'web_user_id' as right_type,
        user_id as right_value,
        first_observed_at,
        last_observed_at,
        n_observations
    from logins
    where user_pseudo_id is not null

    -- var identity_web_user_id_is_shop_customer_id: a user_id is the shop customer id of the same value
    union all
    select
        'id_system_match' as evidence_source,
        'web_user_id' as left_type,
        user_id as left_value,
        'shop_customer_id' as right_type,
        user_id as right_value,
        min(first_observed_at) as first_observed_at,
        max(last_observed_at) as last_observed_at,
        sum(n_observations) as n_observations
    from logins
    where {{ 'true' if web_user_is_shop_customer else 'false' }}
    group by user_id
),

links as (
    select
        evidence_source,
        left_type,
        left_value,
        right_type,
        right_value,
        min(first_observed_at) as first_observed_at,
        max(last_observed_at) as last_observed_at,
        sum(n_observations) as n_observations
    from observations
    group by
        evidence_source,
        left_type,
        left_value,
        right_type,
        right_value
)

select * from links
