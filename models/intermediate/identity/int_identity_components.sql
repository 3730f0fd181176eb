-- Connected components of the identity graph: one row per unblocked node with the smallest node_id of
-- its component (internal label; the published id is customer_key in int_identity_identifiers).
{%- set nodes_relation %}(select node_id from {{ ref('int_identity_nodes') }} where not is_blocked){% endset %}
{{ connected_components(ref('int_identity_edges'), nodes_relation, var('identity_max_rounds')) }}
