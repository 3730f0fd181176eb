-- The identity crosswalk: one row per unblocked identifier with the customer_key of its person.
with

nodes as (
    select
        node_id,
        identifier_type,
        identifier_value,
        node_hash,
        first_seen_at,
        anchor_priority,
        is_person_identifier
    from {{ ref('int_identity_nodes') }}
    where not is_blocked
),

components as (
    select
        node_id,
        component_id
    from {{ ref('int_identity_components') }}
),

component_nodes as (
    select
        nodes.node_id,
        nodes.identifier_type,
        nodes.identifier_value,
        nodes.node_hash,
        nodes.first_seen_at,
        nodes.is_person_identifier,
        nodes.anchor_priority,
        components.component_id
    from nodes
    inner join components
        on nodes.node_id = components.node_id
),

-- The anchor is the person identifier first seen earliest; identifiers that join later never
-- displace it, and when two persons merge the one seen first keeps its key (docs/decisions.md).
anchor_ranks as (
    select
        component_id,
        node_hash,
        row_number() over (
            partition by component_id
            order by first_seen_at asc, anchor_priority asc, node_hash asc
        ) as anchor_rank
    from component_nodes
    where is_person_identifier
),

anchors as (
    select
        component_id,
        node_hash as customer_key
    from anchor_ranks
    where anchor_rank = 1
),

final as (
    select
        component_nodes.identifier_type,
        component_nodes.identifier_value,
        anchors.customer_key,
        component_nodes.node_id,
        component_nodes.component_id,
        coalesce(component_nodes.node_hash = anchors.customer_key, false) as is_anchor,
        component_nodes.is_person_identifier,
        component_nodes.first_seen_at
    from component_nodes
    left join anchors
        on component_nodes.component_id = anchors.component_id
)

select * from final
