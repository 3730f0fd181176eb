-- Identity evidence: every distinct pair of identifiers seen together on one record, per evidence
-- source, with when it was first and last seen. A record carrying one identifier only gives a row
-- whose right side is null, so that identifier still becomes a node.
{%- set web_user_is_shop_customer = checked_var('identity_web_user_id_is_shop_customer_id') %}
with

-- Every evidence CTE below has first_observed_at, last_observed_at and n_observations (records), the
-- shape macro identity_observations reads. A CRM or Shopify record is one observation.
contacts as (
    select
        contact_id,
        email,
        phone_e164,
        created_at as first_observed_at,
        created_at as last_observed_at,
        1 as n_observations
    from {{ ref('stg_crm__contacts') }}
),

shop_customers as (
    select
        cast(customer_id as {{ dbt.type_string() }}) as shop_customer_id,
        email,
        phone_e164,
        created_at as first_observed_at,
        created_at as last_observed_at,
        1 as n_observations
    from {{ ref('stg_shopify__customers') }}
),

support_tickets as (
    select
        contact_id,
        email,
        created_at as first_observed_at,
        created_at as last_observed_at,
        1 as n_observations
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

-- Logged-in web activity and experiment assignments: a device (cookie) seen with a user_id
login_devices as (
    select
        user_pseudo_id,
        user_id,
        min(event_at) as first_observed_at,
        max(event_at) as last_observed_at,
        count(*) as n_observations
    from {{ ref('stg_ga4__events') }}
    where user_id is not null and not is_bot
    group by user_pseudo_id, user_id
),

assigned_devices as (
    select
        user_pseudo_id,
        user_id,
        min(assigned_at) as first_observed_at,
        max(assigned_at) as last_observed_at,
        count(*) as n_observations
    from {{ ref('stg_marketing__experiment_assignments') }}
    where user_id is not null
    group by user_pseudo_id, user_id
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

-- One select per pair of identifiers a record carries (macro identity_observations): evidence source,
-- the records, their main identifier (type, column), the other identifiers ({type: column}) and
-- whether the main identifier alone is a row too (a node even without a pair; the default).
observations as (
    -- CRM contact: its email and phone
    {{ identity_observations('crm_contact', 'contacts', 'crm_contact_id', 'contact_id',
        {'email': 'email', 'phone': 'phone_e164'}) }}

    -- Support ticket: the contact and the email the ticket came from
    union all
    {{ identity_observations('support_ticket', 'support_tickets', 'crm_contact_id', 'contact_id',
        {'email': 'email'}, lone_identifier=false) }}

    -- Shopify customer record: its email and phone
    union all
    {{ identity_observations('shop_customer', 'shop_customers', 'shop_customer_id', 'shop_customer_id',
        {'email': 'email', 'phone': 'phone_e164'}) }}

    -- Shopify order: customer id, email and phone; a guest checkout carries no customer id, so its
    -- email is the main identifier
    union all
    {{ identity_observations('shop_order', 'order_identities', 'shop_customer_id', 'shop_customer_id',
        {'email': 'email', 'phone': 'phone_e164'}) }}
    union all
    {{ identity_observations('shop_order', 'order_identities', 'email', 'email',
        {'phone': 'phone_e164'}, where='shop_customer_id is null') }}

    -- GA4 purchase: the device and the order's buyer (the customer id, else the guest's email)
    union all
    {{ identity_observations('ga4_purchase', 'purchase_devices', 'cookie', 'user_pseudo_id',
        {'shop_customer_id': 'shop_customer_id'}, lone_identifier=false) }}
    union all
    {{ identity_observations('ga4_purchase', 'purchase_devices', 'cookie', 'user_pseudo_id',
        {'email': 'email'}, lone_identifier=false, where='shop_customer_id is null') }}

    -- Logged-in web activity and experiment assignments: the device and the user_id
    union all
    {{ identity_observations('ga4_event', 'login_devices', 'cookie', 'user_pseudo_id',
        {'web_user_id': 'user_id'}, lone_identifier=false) }}
    union all
    {{ identity_observations('experiment_assignment', 'assigned_devices', 'cookie', 'user_pseudo_id',
        {'web_user_id': 'user_id'}, lone_identifier=false) }}

    -- var identity_web_user_id_is_shop_customer_id: a user_id is the shop customer id of the same
    -- value, on every device it was seen on (links below collapses the devices)
    {%- if web_user_is_shop_customer %}
        union all
        {{ identity_observations('id_system_match', 'login_devices', 'web_user_id', 'user_id',
            {'shop_customer_id': 'user_id'}, lone_identifier=false) }}
        union all
        {{ identity_observations('id_system_match', 'assigned_devices', 'web_user_id', 'user_id',
            {'shop_customer_id': 'user_id'}, lone_identifier=false) }}
    {%- endif %}
),

-- repeated pairs (orders, devices, the same user_id on several devices) collapse to one row
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
