-- One row per pair of segments of the same entity type sharing at least one member (segment_a <
-- segment_b): members of each, of both, and the Jaccard index |A ∩ B| / |A ∪ B|. A pair at or above
-- var segment_overlap_near_duplicate_jaccard is flagged as near-duplicate: one of the two may say
-- nothing the other does not.
with

membership as (
    select
        entity_type,
        entity_key,
        segment_key
    from {{ ref('segment_membership') }}
),

sizes as (
    select
        segment_key,
        count(*) as n_members
    from membership
    group by segment_key
),

shared as (
    select
        membership_a.entity_type,
        membership_a.segment_key as segment_a,
        membership_b.segment_key as segment_b,
        count(*) as n_both
    from membership as membership_a
    inner join membership as membership_b
        on
            membership_a.entity_type = membership_b.entity_type
            and membership_a.entity_key = membership_b.entity_key
            and membership_a.segment_key < membership_b.segment_key
    group by membership_a.entity_type, membership_a.segment_key, membership_b.segment_key
),

pairs as (
    select
        shared.entity_type,
        shared.segment_a,
        shared.segment_b,
        sizes_a.n_members as n_members_a,
        sizes_b.n_members as n_members_b,
        shared.n_both,
        cast(shared.n_both as {{ type_double() }}) / (sizes_a.n_members + sizes_b.n_members - shared.n_both)
            as jaccard
    from shared
    inner join sizes as sizes_a
        on shared.segment_a = sizes_a.segment_key
    inner join sizes as sizes_b
        on shared.segment_b = sizes_b.segment_key
),

final as (
    select
        segment_a || '|' || segment_b as segment_pair,
        entity_type,
        segment_a,
        segment_b,
        cast(n_members_a as {{ dbt.type_int() }}) as n_members_a,
        cast(n_members_b as {{ dbt.type_int() }}) as n_members_b,
        cast(n_both as {{ dbt.type_int() }}) as n_members_both,
        -- rounded in decimal: PostgreSQL has no round(double precision, n)
        cast(round(cast(jaccard as decimal(18, 12)), 6) as {{ type_double() }}) as jaccard_index,
        jaccard >= {{ checked_var('segment_overlap_near_duplicate_jaccard') }} as is_near_duplicate
    from pairs
)

select * from final
