-- One row per identifier (node of the identity graph), with the rules that block it from linking.
-- depends_on: {{ ref('identity_blocklist') }}
with

links as (
    select
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
        right_value as neighbour_value
    from links
    where right_type is not null
    union all
    select
        right_type as identifier_type,
        right_value as identifier_value,
        left_type as neighbour_type,
        left_value as neighbour_value
    from links
    where right_type is not null
),

neighbour_counts as (
    select
        identifier_type,
        identifier_value,
        count(distinct case when neighbour_type = 'web_user_id' then neighbour_value end) as n_linked_user_ids,
        count(distinct case when neighbour_type = 'crm_contact_id' then neighbour_value end)
            as n_linked_crm_contacts
    from neighbours
    where neighbour_type in ('web_user_id', 'crm_contact_id')
    group by identifier_type, identifier_value
),

nodes as (
    select
        identifiers.identifier_type,
        identifiers.identifier_value,
        identifiers.identifier_type || ':' || identifiers.identifier_value as node_key,
        identifiers.first_seen_at,
        identifier_types.anchor_priority,
        identifier_types.is_person_identifier,
        coalesce(neighbour_counts.n_linked_user_ids, 0) as n_linked_user_ids,
        coalesce(neighbour_counts.n_linked_crm_contacts, 0) as n_linked_crm_contacts,
        coalesce(
            {{ blocklist_reason('identifiers.identifier_type', 'identifiers.identifier_value') }},
            case
                when
                    identifiers.identifier_type = 'cookie'
                    and neighbour_counts.n_linked_user_ids > {{ var('identity_max_user_ids_per_cookie') }}
                    then 'shared_device'
            end
        ) as block_reason
    from identifiers
    inner join identifier_types
        on identifiers.identifier_type = identifier_types.identifier_type
    left join neighbour_counts
        on
            identifiers.identifier_type = neighbour_counts.identifier_type
            and identifiers.identifier_value = neighbour_counts.identifier_value
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
        n_linked_user_ids,
        n_linked_crm_contacts,
        block_reason is not null as is_blocked,
        block_reason
    from nodes
)

select * from final
