-- One row per identifier (node of the identity graph), with the rules that block it from linking.
-- depends_on: {{ ref('identity_blocklist') }}
{#- Accounts a device is used with: GA4 user_ids, and the shop customer ids its purchases name when they
    are the same id system (var identity_web_user_id_is_shop_customer_id). #}
{%- set same_id_system = checked_var('identity_web_user_id_is_shop_customer_id') %}
{%- set account_types = "'web_user_id', 'shop_customer_id'" if same_id_system else "'web_user_id'" %}
with

links as (
    select
        evidence_source,
        left_type,
        left_value,
        right_type,
        right_value,
        first_observed_at
    from {{ ref('int_identity_links') }}
),

identifier_types as (
    select
        identifier_type,
        anchor_priority,
        is_person_identifier
    from {{ ref('identity_identifier_types') }}
),

sides as (
    select
        left_type as identifier_type,
        left_value as identifier_value,
        first_observed_at
    from links
    union all
    select
        right_type as identifier_type,
        right_value as identifier_value,
        first_observed_at
    from links
    where right_type is not null
),

identifiers as (
    select
        identifier_type,
        identifier_value,
        min(first_observed_at) as first_seen_at
    from sides
    group by identifier_type, identifier_value
),

-- Both directions of every pair, to count an identifier's direct neighbours of one type.
neighbours as (
    select
        left_type as identifier_type,
        left_value as identifier_value,
        right_type as neighbour_type,
        right_value as neighbour_value,
        evidence_source
    from links
    where right_type is not null
    union all
    select
        right_type as identifier_type,
        right_value as identifier_value,
        left_type as neighbour_type,
        left_value as neighbour_value,
        evidence_source
    from links
    where right_type is not null
),

contact_counts as (
    select
        identifier_type,
        identifier_value,
        count(distinct neighbour_value) as n_linked_crm_contacts
    from neighbours
    where neighbour_type = 'crm_contact_id'
    group by identifier_type, identifier_value
),

-- Shared devices. A cookie's users are the accounts it is seen with, plus the guest-checkout emails
-- of its purchases unless that email belongs to one of those accounts (a registered buyer's guest
-- order on their own device is not a second person).
device_accounts as (
    select distinct
        identifier_value as cookie,
        neighbour_value as account_value
    from neighbours
    where identifier_type = 'cookie' and neighbour_type in ({{ account_types }})
),

device_guest_emails as (
    select distinct
        identifier_value as cookie,
        neighbour_value as email
    from neighbours
    where identifier_type = 'cookie' and neighbour_type = 'email' and evidence_source = 'ga4_purchase'
),

account_emails as (
    select distinct
        identifier_value as account_value,
        neighbour_value as email
    from neighbours
    where identifier_type = 'shop_customer_id' and neighbour_type = 'email'
),

explained_guest_emails as (
    select distinct
        device_guest_emails.cookie,
        device_guest_emails.email
    from device_guest_emails
    inner join account_emails
        on device_guest_emails.email = account_emails.email
    inner join device_accounts
        on
            device_guest_emails.cookie = device_accounts.cookie
            and account_emails.account_value = device_accounts.account_value
),

device_users as (
    select
        cookie,
        account_value as user_value
    from device_accounts
    union
    select
        device_guest_emails.cookie,
        device_guest_emails.email as user_value
    from device_guest_emails
    left join explained_guest_emails
        on
            device_guest_emails.cookie = explained_guest_emails.cookie
            and device_guest_emails.email = explained_guest_emails.email
    where explained_guest_emails.cookie is null
),

device_user_counts as (
    select
        'cookie' as identifier_type,
        cookie,
        count(*) as n_linked_users
    from device_users
    group by cookie
),

nodes as (
    select
        identifiers.identifier_type,
        identifiers.identifier_value,
        identifiers.identifier_type || ':' || identifiers.identifier_value as node_key,
        identifiers.first_seen_at,
        identifier_types.anchor_priority,
        identifier_types.is_person_identifier,
        coalesce(device_user_counts.n_linked_users, 0) as n_linked_users,
        coalesce(contact_counts.n_linked_crm_contacts, 0) as n_linked_crm_contacts,
        coalesce(
            {{ blocklist_reason('identifiers.identifier_type', 'identifiers.identifier_value') }},
            case
                when
                    identifiers.identifier_type = 'cookie'
                    and device_user_counts.n_linked_users > {{ var('identity_max_users_per_cookie') }}
                    then 'shared_device'
            end
        ) as block_reason
    from identifiers
    inner join identifier_types
        on identifiers.identifier_type = identifier_types.identifier_type
    left join contact_counts
        on
            identifiers.identifier_type = contact_counts.identifier_type
            and identifiers.identifier_value = contact_counts.identifier_value
    left join device_user_counts
        -- an equality on both columns keeps this a hash join
        on
            identifiers.identifier_type = device_user_counts.identifier_type
            and identifiers.identifier_value = device_user_counts.cookie
),

final as (
    select
        dense_rank() over (order by node_key) as node_id,
        identifier_type,
        identifier_value,
        node_key,
        -- the hash of a person identifier is the customer_key when it is the anchor
        case when is_person_identifier then md5(node_key) end as node_hash,
        first_seen_at,
        anchor_priority,
        is_person_identifier,
        n_linked_users,
        n_linked_crm_contacts,
        block_reason is not null as is_blocked,
        block_reason
    from nodes
)

select * from final
