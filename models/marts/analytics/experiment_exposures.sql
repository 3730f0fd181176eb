-- One row per experiment and unit exposed to it with a complete conversion window at the as-of date.
-- A unit is a person (customer_key) or, for a cookie never resolved to one, the cookie ('cookie:<id>'). Its variant
-- is the one of its first assignment; a unit assigned to more than one variant is kept and flagged
-- (is_crossover), and the readout leaves it out. It converts with a counted order within var
-- experiment_conversion_window_days of its first assignment; revenue is those orders' net amount.
-- Its segment is its primary segment at the as-of date (customer_segments; decision 60).
{%- set window_days = checked_var('experiment_conversion_window_days') %}

with

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

test_people as (
    select customer_key
    from {{ ref('dim_customers') }}
    where is_test_account
),

assignments as (
    select
        assignments.experiment_id,
        assignments.variant,
        assignments.assigned_at,
        assignments.customer_key,
        coalesce(assignments.customer_key, 'cookie:' || assignments.user_pseudo_id) as unit_key,
        case when assignments.customer_key is null then 'cookie' else 'customer' end as unit_type
    from {{ ref('int_experiment_assignments_resolved') }} as assignments
    left join test_people
        on assignments.customer_key = test_people.customer_key
    where
        test_people.customer_key is null
        and coalesce(assignments.customer_key, assignments.user_pseudo_id) is not null
),

-- the first assignment decides the variant: earliest, then the smallest variant name
first_assignment as (
    select
        experiment_id,
        unit_key,
        min(assigned_at) as first_assigned_at,
        count(distinct variant) as n_variants
    from assignments
    group by experiment_id, unit_key
),

units as (
    select
        first_assignment.experiment_id,
        first_assignment.unit_key,
        min(assignments.unit_type) as unit_type,
        min(assignments.customer_key) as customer_key,
        min(assignments.variant) as variant,
        first_assignment.first_assigned_at,
        first_assignment.n_variants > 1 as is_crossover
    from first_assignment
    inner join assignments
        on
            first_assignment.experiment_id = assignments.experiment_id
            and first_assignment.unit_key = assignments.unit_key
            and first_assignment.first_assigned_at = assignments.assigned_at
    group by
        first_assignment.experiment_id,
        first_assignment.unit_key,
        first_assignment.first_assigned_at,
        first_assignment.n_variants
),

-- windows that end by the end of the as-of date: later ones are still open, left out
complete_units as (
    select
        units.experiment_id,
        units.unit_key,
        units.unit_type,
        units.customer_key,
        units.variant,
        units.first_assigned_at,
        {{ dbt.dateadd('day', window_days, 'units.first_assigned_at') }} as window_end_at,
        units.is_crossover,
        as_of.as_of_date
    from units
    cross join as_of
    where {{ dbt.dateadd('day', window_days, 'units.first_assigned_at') }}
        <= {{ dbt.dateadd('day', 1, 'cast(as_of.as_of_date as ' ~ dbt.type_timestamp() ~ ')') }}
),

outcomes as (
    select
        complete_units.experiment_id,
        complete_units.unit_key,
        count(*) as n_orders,
        sum(orders.net_amount) as net_revenue_amount
    from complete_units
    inner join {{ ref('fct_orders') }} as orders
        on
            complete_units.customer_key = orders.customer_key
            and complete_units.first_assigned_at <= orders.created_at
            and complete_units.window_end_at > orders.created_at
    where orders.is_counted_order
    group by complete_units.experiment_id, complete_units.unit_key
),

final as (
    select
        complete_units.as_of_date,
        complete_units.experiment_id,
        complete_units.unit_key,
        complete_units.unit_type,
        complete_units.customer_key,
        complete_units.variant,
        complete_units.first_assigned_at,
        complete_units.is_crossover,
        case
            when complete_units.unit_type = 'cookie' then 'unidentified'
            else coalesce(segments.primary_segment_key, 'no_primary_segment')
        end as segment_key,
        cast(coalesce(outcomes.n_orders, 0) as {{ dbt.type_int() }}) as n_orders_in_window,
        coalesce(outcomes.n_orders, 0) > 0 as is_converted,
        cast(coalesce(outcomes.net_revenue_amount, 0) as {{ money_type() }}) as net_revenue_amount_in_window
    from complete_units
    left join outcomes
        on
            complete_units.experiment_id = outcomes.experiment_id
            and complete_units.unit_key = outcomes.unit_key
    left join {{ ref('customer_segments') }} as segments
        on complete_units.customer_key = segments.customer_key
)

select * from final
