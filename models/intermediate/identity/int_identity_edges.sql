-- Undirected edges between unblocked identifiers seen on the same record: one row per pair, a < b.
with

links as (
    select
        left_type || ':' || left_value as left_key,
        right_type || ':' || right_value as right_key
    from {{ ref('int_identity_links') }}
    where right_type is not null
),

linkable_nodes as (
    select
        node_key,
        node_id
    from {{ ref('int_identity_nodes') }}
    where not is_blocked
),

node_pairs as (
    select
        left_nodes.node_id as left_node_id,
        right_nodes.node_id as right_node_id
    from links
    inner join linkable_nodes as left_nodes
        on links.left_key = left_nodes.node_key
    inner join linkable_nodes as right_nodes
        on links.right_key = right_nodes.node_key
),

edges as (
    select distinct
        least(left_node_id, right_node_id) as a,
        greatest(left_node_id, right_node_id) as b
    from node_pairs
    where left_node_id <> right_node_id
)

select * from edges
