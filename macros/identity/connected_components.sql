{#- connected_components(edges, nodes, max_rounds): SQL selecting (node_id, component_id), where
    component_id is the smallest node_id of the node's connected component.

    edges: relation with integer columns a < b (distinct, no self-loops); nodes: relation with
    node_id (every node, including those without edges). Portable min-neighbour graph contraction
    (docs/research/identity_components.md): each round gives every node its smallest neighbour as
    parent, jumps parents once (parent of parent), rewrites the edge list through the parents and
    drops self-loops, so the edge list shrinks about tenfold per round. The rounds are unrolled into
    one statement; a round whose edge list is already empty costs nothing. Whether max_rounds were
    enough is checked by the data test identity_components_converged (error severity). -#}
{% macro connected_components(edges, nodes, max_rounds) -%}
{#- each variant opens the CTE list and ends it with labels_<max_rounds> (node_id, label) and a comma -#}
{{ adapter.dispatch('connected_components', 'customer_segmentation')(edges, nodes, max_rounds) }}

components as (
    select
        node_id,
        label as component_id
    from labels_{{ max_rounds }}
)

select * from components
{%- endmacro %}

{% macro default__connected_components(edges, nodes, max_rounds) -%}
with
edges_0 as (
    select
        a,
        b
    from {{ edges }} as input_edges
),

labels_0 as (
    select
        node_id,
        node_id as label
    from {{ nodes }} as input_nodes
),
{%- for i in range(1, max_rounds + 1) %}
{%- set prev = i - 1 %}

-- round {{ i }}: b's parent is its smallest neighbour (a < b, so only b can have one)
hooks_{{ i }} as (
    select
        b as node_id,
        min(a) as parent
    from edges_{{ prev }}
    group by b
),

parents_{{ i }} as (
    select
        hooks.node_id,
        coalesce(grandparents.parent, hooks.parent) as parent
    from hooks_{{ i }} as hooks
    left join hooks_{{ i }} as grandparents
        on hooks.parent = grandparents.node_id
),

mapped_{{ i }} as (
    select
        coalesce(parent_a.parent, edges.a) as end_a,
        coalesce(parent_b.parent, edges.b) as end_b
    from edges_{{ prev }} as edges
    left join parents_{{ i }} as parent_a
        on edges.a = parent_a.node_id
    left join parents_{{ i }} as parent_b
        on edges.b = parent_b.node_id
),

edges_{{ i }} as (
    select distinct
        least(end_a, end_b) as a,
        greatest(end_a, end_b) as b
    from mapped_{{ i }}
    where end_a <> end_b
),

labels_{{ i }} as (
    select
        labels.node_id,
        coalesce(parents.parent, labels.label) as label
    from labels_{{ prev }} as labels
    left join parents_{{ i }} as parents
        on labels.label = parents.node_id
),
{%- endfor %}
{%- endmacro %}


{#- Spark inlines every deterministic CTE at each place it is read, so a round that reads the previous
    round five times (above) makes a plan five times larger per round: 5^12 copies, and the driver runs
    out of memory planning it. Here each round reads the previous one once: min-label propagation,
    where a node takes the smallest label among itself and its neighbours. The neighbours' labels
    come through a window over each edge's two endpoint rows, not a second join, so the plan grows
    linearly. A round moves a label one hop (contraction above moves it much further), so the
    rounds needed are the component's diameter; identity_components_converged fails the build when
    var identity_max_rounds is too small. Same result: the smallest node_id of the component. -#}
{% macro spark__connected_components(edges, nodes, max_rounds) -%}
with
endpoints as (
    -- each edge twice, once under each of its ends
    select
        input_edges.a,
        input_edges.b,
        endpoint.node_id
    from {{ edges }} as input_edges
    lateral view explode(array(input_edges.a, input_edges.b)) endpoint as node_id
),

labels_0 as (
    select
        node_id,
        node_id as label
    from {{ nodes }} as input_nodes
),
{%- for i in range(1, max_rounds + 1) %}

-- round {{ i }}: every node takes the smallest label found on its edges
incident_{{ i }} as (
    select
        labels.node_id,
        labels.label,
        endpoints.a,
        case
            when endpoints.a is not null then min(labels.label) over (partition by endpoints.a, endpoints.b)
        end as edge_label
    from labels_{{ i - 1 }} as labels
    left join endpoints
        on labels.node_id = endpoints.node_id
),

labels_{{ i }} as (
    select
        node_id,
        least(min(label), coalesce(min(edge_label), min(label))) as label
    from incident_{{ i }}
    group by node_id
),
{%- endfor %}
{%- endmacro %}
