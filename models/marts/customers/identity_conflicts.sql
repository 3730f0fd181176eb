-- Every identity rule that fired, one row per rule and identifier: blocked values and shared devices
-- (they never link), and identifiers joining more CRM contacts than var
-- identity_max_crm_contacts_per_identifier (they still link, for review).
with

nodes as (
    select
        identifier_type,
        identifier_value,
        node_key,
        is_blocked,
        block_reason,
        n_linked_users,
        n_linked_crm_contacts
    from {{ ref('int_identity_nodes') }}
),

identifiers as (
    select
        identifier_type,
        identifier_value,
        customer_key
    from {{ ref('int_identity_identifiers') }}
),

blocked as (
    select
        case when block_reason = 'shared_device' then 'shared_device' else 'blocked_value' end as rule_name,
        identifier_type,
        identifier_value,
        node_key,
        block_reason as detail,
        case
            when block_reason = 'shared_device' then n_linked_users
            else n_linked_crm_contacts
        end as n_linked
    from nodes
    where is_blocked
),

many_contacts as (
    select
        'joins_many_crm_contacts' as rule_name,
        identifier_type,
        identifier_value,
        node_key,
        'linked to more than {{ var("identity_max_crm_contacts_per_identifier") }} CRM contacts' as detail,
        n_linked_crm_contacts as n_linked
    from nodes
    where
        not is_blocked
        and n_linked_crm_contacts > {{ var('identity_max_crm_contacts_per_identifier') }}
),

conflicts as (
    select * from blocked
    union all
    select * from many_contacts
),

final as (
    select
        md5(conflicts.rule_name || '|' || conflicts.node_key) as conflict_id,
        conflicts.rule_name,
        conflicts.identifier_type,
        conflicts.identifier_value,
        conflicts.detail,
        conflicts.n_linked,
        identifiers.customer_key
    from conflicts
    left join identifiers
        on
            conflicts.identifier_type = identifiers.identifier_type
            and conflicts.identifier_value = identifiers.identifier_value
)

select * from final
