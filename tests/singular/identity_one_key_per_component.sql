-- Every resolved identifier maps to exactly one customer key: one key (or none) per component, and
-- exactly one anchor per keyed component, which is the identifier the key hashes.
with identifiers as (
    select
        component_id,
        customer_key,
        is_anchor
    from {{ ref('int_identity_identifiers') }}
),

per_component as (
    select
        component_id,
        count(distinct customer_key) as n_keys,
        count(*) - count(customer_key) as n_unkeyed,
        sum(case when is_anchor then 1 else 0 end) as n_anchors
    from identifiers
    group by component_id
)

select *
from per_component
where
    n_keys > 1
    or (n_keys = 1 and (n_unkeyed > 0 or n_anchors <> 1))
    or (n_keys = 0 and n_anchors > 0)
