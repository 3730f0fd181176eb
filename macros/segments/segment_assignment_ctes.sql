{#- segment_assignment_ctes(entity_type): the CTEs (each followed by a comma) ranking one entity
    type's memberships (segment_membership) by the definitions' priority, ending in per_entity:
    one row per entity with a membership, its n_segments, its primary segment (key and name: the
    member segment of lowest priority among those flagged is_primary, ties by segment_key) and for
    each family of var segment_families its first-ranked member segment (<family>_segment_key). -#}
{% macro segment_assignment_ctes(entity_type) -%}
    {%- set families = checked_var('segment_families') -%}
membership as (
    select
        entity_key,
        segment_key
    from {{ ref('segment_membership') }}
    where entity_type = {{ string_literal(entity_type) }}
),

definitions as (
    select
        segment_key,
        segment_name,
        family,
        is_primary,
        priority
    from {{ ref('segment_definitions') }}
),

ranked as (
    select
        membership.entity_key,
        membership.segment_key,
        definitions.segment_name,
        definitions.family,
        definitions.is_primary,
        row_number() over (
            partition by membership.entity_key, definitions.is_primary
            order by definitions.priority asc, membership.segment_key asc
        ) as primary_rank,
        row_number() over (
            partition by membership.entity_key, definitions.family
            order by definitions.priority asc, membership.segment_key asc
        ) as family_rank
    from membership
    inner join definitions
        on membership.segment_key = definitions.segment_key
),

per_entity as (
    select
        entity_key,
        max(case when is_primary and primary_rank = 1 then segment_key end) as primary_segment_key,
        max(case when is_primary and primary_rank = 1 then segment_name end) as primary_segment_name,
        {%- for family in families %}
        max(case when family = {{ string_literal(family) }} and family_rank = 1 then segment_key end)
            as {{ family }}_segment_key,
        {%- endfor %}
        count(*) as n_segments
    from ranked
    group by entity_key
),
{%- endmacro %}
