-- Fails when an edge still joins two components: var identity_max_rounds was too small for the graph.
select
    edges.a,
    edges.b,
    components_a.component_id as component_a,
    components_b.component_id as component_b
from {{ ref('int_identity_edges') }} as edges
inner join {{ ref('int_identity_components') }} as components_a
    on edges.a = components_a.node_id
inner join {{ ref('int_identity_components') }} as components_b
    on edges.b = components_b.node_id
where components_a.component_id <> components_b.component_id
