-- The funnel and the journey mix add up to their sources. Per basis and segment: the journey mix's
-- stage counts add up to its n_members, and both marts' n_members equal the segment's size
-- (segment_catalog on basis member, the primary-segment count of customer_segments on basis
-- primary); the funnel never grows from one step to the next; on basis primary, the members at
-- step 1 add up to the segmented customers with a first-step event in the window. One row per mismatch.
{%- set steps = checked_var('funnel_event_names') %}
{%- set window_days = checked_var('funnel_window_days') %}
with

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

segment_sizes as (
    select
        'member' as membership_basis,
        segment_key,
        n_members
    from {{ ref('segment_catalog') }}
    where
        entity_type = 'customer'
        and n_members > 0
    union all
    select
        'primary' as membership_basis,
        primary_segment_key as segment_key,
        count(*) as n_members
    from {{ ref('customer_segments') }}
    group by primary_segment_key
),

mix_totals as (
    select
        membership_basis,
        segment_key,
        min(n_members) as n_members,
        max(n_members) as n_members_max,
        sum(n_members_in_stage) as n_members_in_stages
    from {{ ref('segment_journey_mix') }}
    group by membership_basis, segment_key
),

funnel_sizes as (
    select
        membership_basis,
        segment_key,
        min(n_members) as n_members,
        max(n_members) as n_members_max
    from {{ ref('segment_funnel') }}
    group by membership_basis, segment_key
),

first_step_visitors as (
    select count(distinct web_events.customer_key) as n_customers
    from {{ ref('int_web_events_resolved') }} as web_events
    inner join {{ ref('customer_segments') }} as segments
        on web_events.customer_key = segments.customer_key
    cross join as_of
    where
        web_events.is_event_row
        and web_events.event_name = '{{ steps[0] }}'
        and web_events.event_date > {{ dbt.dateadd('day', -window_days, 'as_of.as_of_date') }}
        and web_events.event_date <= as_of.as_of_date
),

funnel_first_step as (
    select sum(n_reached) as n_reached
    from {{ ref('segment_funnel') }}
    where
        membership_basis = 'primary'
        and step_number = 1
),

funnel_steps as (
    select
        membership_basis,
        segment_key,
        step_number,
        n_reached,
        lag(n_reached) over (partition by membership_basis, segment_key order by step_number) as n_reached_before
    from {{ ref('segment_funnel') }}
),

checks as (
    select
        coalesce(segment_sizes.membership_basis, mix_totals.membership_basis) as membership_basis,
        coalesce(segment_sizes.segment_key, mix_totals.segment_key) as segment_key,
        'journey mix size' as measure,
        mix_totals.n_members_in_stages as mart_value,
        segment_sizes.n_members as source_value
    from segment_sizes
    full outer join mix_totals
        on
            segment_sizes.membership_basis = mix_totals.membership_basis
            and segment_sizes.segment_key = mix_totals.segment_key
    where
        mix_totals.n_members_in_stages is null
        or segment_sizes.n_members is null
        or mix_totals.n_members_in_stages <> segment_sizes.n_members
        or mix_totals.n_members <> mix_totals.n_members_max
        or mix_totals.n_members <> segment_sizes.n_members
    union all
    select
        coalesce(segment_sizes.membership_basis, funnel_sizes.membership_basis) as membership_basis,
        coalesce(segment_sizes.segment_key, funnel_sizes.segment_key) as segment_key,
        'funnel size' as measure,
        funnel_sizes.n_members as mart_value,
        segment_sizes.n_members as source_value
    from segment_sizes
    full outer join funnel_sizes
        on
            segment_sizes.membership_basis = funnel_sizes.membership_basis
            and segment_sizes.segment_key = funnel_sizes.segment_key
    where
        funnel_sizes.n_members is null
        or segment_sizes.n_members is null
        or funnel_sizes.n_members <> segment_sizes.n_members
        or funnel_sizes.n_members <> funnel_sizes.n_members_max
    union all
    select
        membership_basis,
        segment_key,
        'funnel grows at step ' || cast(step_number as {{ dbt.type_string() }}) as measure,
        n_reached as mart_value,
        n_reached_before as source_value
    from funnel_steps
    where n_reached > n_reached_before
    union all
    select
        'primary' as membership_basis,
        '(all)' as segment_key,
        'first step' as measure,
        funnel_first_step.n_reached as mart_value,
        first_step_visitors.n_customers as source_value
    from funnel_first_step
    cross join first_step_visitors
    where funnel_first_step.n_reached <> first_step_visitors.n_customers
)

select * from checks
