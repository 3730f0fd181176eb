-- One row per membership basis, customer segment and funnel step: how many of the segment's members
-- reached the step in the last var funnel_window_days days up to the as-of date, the conversion from
-- the step before, the drop-off, and the median hours the step took. Steps are the GA4 events of var
-- funnel_event_names, in order (session -> product view -> add to cart -> checkout -> purchase). The
-- funnel is closed: a member reaches step k at its first event of step k at or after the moment it
-- reached step k - 1 (step 1: its first event of step 1 in the window). Members are those at the
-- as-of date: basis 'member' every member of the segment (segments overlap), basis 'primary' the
-- customers whose primary segment it is. Events no person resolves to are left out (decision 62).
-- Macro funnel_step_ctes writes one CTE per step.
{%- set steps = checked_var('funnel_event_names') %}
{%- set window_days = checked_var('funnel_window_days') %}

with

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

events as (
    select
        web_events.customer_key,
        web_events.event_name,
        web_events.event_at
    from {{ ref('int_web_events_resolved') }} as web_events
    cross join as_of
    where
        web_events.is_event_row
        and web_events.customer_key is not null
        and web_events.event_date > {{ dbt.dateadd('day', -window_days, 'as_of.as_of_date') }}
        and web_events.event_date <= as_of.as_of_date
),

{{ funnel_step_ctes('events', steps) }}

members as (
    {{ segment_members_by_basis() }}
),

segment_sizes as (
    select
        membership_basis,
        segment_key,
        count(*) as n_members
    from members
    group by membership_basis, segment_key
),

step_counts as (
    select
        members.membership_basis,
        members.segment_key,
        reached.step_number,
        count(*) as n_reached,
        percentile_cont(0.5) within group (
            order by {{ dbt.datediff('reached.previous_reached_at', 'reached.reached_at', 'second') }}
        ) as median_seconds_from_previous_step
    from members
    inner join reached
        on members.customer_key = reached.customer_key
    group by members.membership_basis, members.segment_key, reached.step_number
),

grid as (
    select
        segment_sizes.membership_basis,
        segment_sizes.segment_key,
        segment_sizes.n_members,
        funnel_steps.step_number,
        funnel_steps.step_event_name,
        coalesce(step_counts.n_reached, 0) as n_reached,
        step_counts.median_seconds_from_previous_step
    from segment_sizes
    cross join funnel_steps
    left join step_counts
        on
            segment_sizes.membership_basis = step_counts.membership_basis
            and segment_sizes.segment_key = step_counts.segment_key
            and funnel_steps.step_number = step_counts.step_number
),

with_previous as (
    select
        membership_basis,
        segment_key,
        n_members,
        step_number,
        step_event_name,
        n_reached,
        median_seconds_from_previous_step,
        -- step 1 is entered from the whole segment
        coalesce(
            lag(n_reached) over (partition by membership_basis, segment_key order by step_number), n_members
        ) as n_at_previous_step,
        first_value(n_reached) over (partition by membership_basis, segment_key order by step_number)
            as n_at_first_step
    from grid
),

final as (
    select
        with_previous.membership_basis || ':' || with_previous.segment_key || ':'
        || cast(with_previous.step_number as {{ dbt.type_string() }}) as segment_funnel_id,
        as_of.as_of_date,
        with_previous.membership_basis,
        with_previous.segment_key,
        cast(with_previous.step_number as {{ dbt.type_int() }}) as step_number,
        with_previous.step_event_name,
        cast(with_previous.n_members as {{ dbt.type_bigint() }}) as n_members,
        cast(with_previous.n_reached as {{ dbt.type_bigint() }}) as n_reached,
        cast(with_previous.n_at_previous_step - with_previous.n_reached as {{ dbt.type_bigint() }}) as n_dropped,
        {{ round_double('cast(with_previous.n_reached as ' ~ type_double() ~ ') / '
            ~ 'case when with_previous.n_at_previous_step > 0 then with_previous.n_at_previous_step end', 6) }}
            as step_conversion_rate,
        {{ round_double('cast(with_previous.n_at_previous_step - with_previous.n_reached as ' ~ type_double()
            ~ ') / case when with_previous.n_at_previous_step > 0 then with_previous.n_at_previous_step end', 6) }}
            as drop_off_rate,
        {{ round_double('cast(with_previous.n_reached as ' ~ type_double() ~ ') / '
            ~ 'case when with_previous.n_at_first_step > 0 then with_previous.n_at_first_step end', 6) }}
            as conversion_from_first_step_rate,
        {{ round_double('with_previous.median_seconds_from_previous_step / 3600.0', 6) }}
            as median_hours_from_previous_step
    from with_previous
    cross join as_of
)

select * from final
