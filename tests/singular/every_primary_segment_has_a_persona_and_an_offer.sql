-- Every primary segment has a persona (seed segment_personas) and at least one offer (seed
-- segment_offers). One row per segment missing either.
with

primaries as (
    select segment_key
    from {{ ref('segment_definitions') }}
    where is_primary
),

personas as (
    select segment_key
    from {{ ref('segment_personas') }}
),

offers as (
    select
        segment_key,
        count(*) as n_offers
    from {{ ref('segment_offers') }}
    group by segment_key
),

final as (
    select
        primaries.segment_key,
        personas.segment_key is null as has_no_persona,
        offers.segment_key is null as has_no_offer
    from primaries
    left join personas
        on primaries.segment_key = personas.segment_key
    left join offers
        on primaries.segment_key = offers.segment_key
    where personas.segment_key is null or offers.segment_key is null
)

select * from final
