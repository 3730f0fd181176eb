{{ config(severity='warn') }}
-- Warns when the primary assignment has fewer than var segment_primary_min_count or more than
-- var segment_primary_max_count segments per entity type: too few say little, too many cannot be
-- acted on.
with

primaries as (
    select
        entity_type,
        count(*) as n_primary_segments
    from {{ ref('segment_definitions') }}
    where is_primary
    group by entity_type
),

final as (
    select
        entity_type,
        n_primary_segments
    from primaries
    where
        n_primary_segments < {{ checked_var('segment_primary_min_count') }}
        or n_primary_segments > {{ checked_var('segment_primary_max_count') }}
)

select * from final
