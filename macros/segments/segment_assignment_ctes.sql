{#- segment_assignment_ctes(entity_type): the CTEs (each followed by a comma) assigning one entity
    type's memberships (segment_membership), ending in per_entity: one row per entity with a
    membership, its n_segments, its primary segment (key and name: the member segment of lowest
    priority among those flagged is_primary, ties by segment_key) and for each family of var
    segment_families its first-ranked member segment (<family>_segment_key). The definitions are
    numbered once in that order (segment_rank), so each choice is a min() in one aggregation over the
    memberships, with no window over them. -#}
{% macro segment_assignment_ctes(entity_type) -%}
    {%- set families = checked_var('segment_families') -%}
membership as (
    select
        entity_key,
        segment_key
    from {{ ref('segment_membership') }}
    where entity_type = {{ string_literal(entity_type) }}
),

-- priority first, segment_key breaks ties: the order every choice below follows
definitions as (
    select
        segment_key,
        segment_name,
        family,
        is_primary,
        row_number() over (order by priority asc, segment_key asc) as segment_rank
    from {{ ref('segment_definitions') }}
    where entity_type = {{ string_literal(entity_type) }}
),

ranks_per_entity as (
    select
        membership.entity_key,
        min(case when definitions.is_primary then definitions.segment_rank end) as primary_rank,
        {%- for family in families %}
        min(case when definitions.family = {{ string_literal(family) }} then definitions.segment_rank end)
            as {{ family }}_rank,
        {%- endfor %}
        count(*) as n_segments
    from membership
    inner join definitions
        on membership.segment_key = definitions.segment_key
    group by membership.entity_key
),

per_entity as (
    select
        ranks_per_entity.entity_key,
        primary_definition.segment_key as primary_segment_key,
        primary_definition.segment_name as primary_segment_name,
        {%- for family in families %}
        {{ family }}_definition.segment_key as {{ family }}_segment_key,
        {%- endfor %}
        ranks_per_entity.n_segments
    from ranks_per_entity
    left join definitions as primary_definition
        on ranks_per_entity.primary_rank = primary_definition.segment_rank
    {%- for family in families %}
    left join definitions as {{ family }}_definition
        on ranks_per_entity.{{ family }}_rank = {{ family }}_definition.segment_rank
    {%- endfor %}
),
{%- endmacro %}
