-- One row per membership basis, customer segment and journey stage: how the segment's members at the
-- as-of date spread over the journey stages (each customer's journey segment in customer_segments:
-- the first-ranked segment of family journey; 'no_journey_stage' when none applies). Basis 'member'
-- counts every member of the segment, basis 'primary' the customers whose primary segment it is.
-- Within a segment the shares add up to 1.
with

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

journeys as (
    select
        customer_key,
        coalesce(journey_segment_key, 'no_journey_stage') as journey_segment_key
    from {{ ref('customer_segments') }}
),

members as (
    {{ segment_members_by_basis() }}
),

mix as (
    select
        members.membership_basis,
        members.segment_key,
        journeys.journey_segment_key,
        count(*) as n_members_in_stage
    from members
    inner join journeys
        on members.customer_key = journeys.customer_key
    group by members.membership_basis, members.segment_key, journeys.journey_segment_key
),

segment_sizes as (
    select
        membership_basis,
        segment_key,
        sum(n_members_in_stage) as n_members
    from mix
    group by membership_basis, segment_key
),

final as (
    select
        mix.membership_basis || ':' || mix.segment_key || ':' || mix.journey_segment_key as segment_journey_mix_id,
        as_of.as_of_date,
        mix.membership_basis,
        mix.segment_key,
        mix.journey_segment_key,
        cast(segment_sizes.n_members as {{ dbt.type_bigint() }}) as n_members,
        cast(mix.n_members_in_stage as {{ dbt.type_bigint() }}) as n_members_in_stage,
        {{ round_double('cast(mix.n_members_in_stage as ' ~ type_double() ~ ') / segment_sizes.n_members', 6) }}
            as stage_share
    from mix
    inner join segment_sizes
        on
            mix.membership_basis = segment_sizes.membership_basis
            and mix.segment_key = segment_sizes.segment_key
    cross join as_of
)

select * from final
