-- One row per quarter, membership basis and customer segment with a row for the quarter before in
-- segment_kpis: how the segment changed since then, next to how all customers changed (decision 66).
-- Size and share; the stay / enter / exit rates of its members (start members: those at the
-- previous quarter's snapshot) and the exit rate's change since the quarter before; the change of
-- its conversion, AOV and revenue per member, each also relative to the population's change (so a
-- holiday quarter that lifts every segment moves none); and (basis member) the largest population
-- stability index of its defining features (segment_feature_drift). A check is judged only where the
-- segment is large enough (vars drift_min_members, drift_min_buyers) and fires over its var;
-- is_drifting when any fires. History accrues with the logged runs, as in segment_kpis: a quarter
-- needs a logged as-of date in it and in the quarter before.
{%- set min_members = checked_var('drift_min_members') %}
{%- set min_buyers = checked_var('drift_min_buyers') %}
{%- set size_change = checked_var('drift_size_change_threshold') %}
{%- set share_change = checked_var('drift_share_change_threshold') %}
{%- set exit_rate_change = checked_var('drift_exit_rate_change_threshold') %}
{%- set kpi_change = checked_var('drift_kpi_change_threshold') %}

with

quarters as (
    select
        period_start,
        snapshot_date,
        is_partial_period,
        membership_basis,
        segment_key,
        segment_family,
        n_members,
        member_share,
        n_start_members,
        n_entrants,
        n_exits,
        retention_rate,
        n_sessions,
        n_converted_sessions,
        n_orders,
        n_buyers,
        net_revenue_amount,
        session_conversion_rate,
        aov_amount,
        revenue_per_member_amount
    from {{ ref('segment_kpis') }}
    where period_type = 'quarter'
),

-- all customers: the primary basis partitions them (no_primary_segment included)
population as (
    select
        period_start,
        sum(n_members) as n_customers,
        cast(sum(n_converted_sessions) as {{ type_double() }})
        / nullif(sum(n_sessions), 0) as session_conversion_rate,
        cast(sum(net_revenue_amount) as {{ type_double() }}) / nullif(sum(n_orders), 0) as aov_amount,
        cast(sum(net_revenue_amount) as {{ type_double() }}) / nullif(sum(n_members), 0)
            as revenue_per_member_amount
    from quarters
    where membership_basis = 'primary'
    group by period_start
),

population_changes as (
    select
        this_quarter.period_start,
        cast(this_quarter.n_customers as {{ type_double() }})
        / nullif(previous_quarter.n_customers, 0) as size_ratio,
        this_quarter.session_conversion_rate
        / nullif(previous_quarter.session_conversion_rate, 0) as conversion_ratio,
        this_quarter.aov_amount / nullif(previous_quarter.aov_amount, 0) as aov_ratio,
        this_quarter.revenue_per_member_amount
        / nullif(previous_quarter.revenue_per_member_amount, 0) as revenue_per_member_ratio
    from population as this_quarter
    inner join population as previous_quarter
        on previous_quarter.period_start = {{ dbt.dateadd('month', -3, 'this_quarter.period_start') }}
),

feature_drift as (
    select
        quarter_start,
        segment_key,
        max(population_stability_index) as max_feature_psi,
        max(case when is_psi_drift then 1 else 0 end) = 1 as is_feature_drift
    from {{ ref('segment_feature_drift') }}
    group by quarter_start, segment_key
),

compared as (
    select
        this_quarter.period_start,
        this_quarter.snapshot_date,
        this_quarter.is_partial_period,
        this_quarter.membership_basis,
        this_quarter.segment_key,
        this_quarter.segment_family,
        this_quarter.n_members,
        previous_quarter.n_members as previous_n_members,
        this_quarter.member_share,
        previous_quarter.member_share as previous_member_share,
        this_quarter.n_start_members,
        this_quarter.n_entrants,
        this_quarter.n_exits,
        this_quarter.retention_rate as stay_rate,
        cast(this_quarter.n_entrants as {{ type_double() }}) / nullif(this_quarter.n_members, 0) as entry_rate,
        cast(this_quarter.n_exits as {{ type_double() }}) / nullif(this_quarter.n_start_members, 0) as exit_rate,
        cast(previous_quarter.n_exits as {{ type_double() }})
        / nullif(previous_quarter.n_start_members, 0) as previous_exit_rate,
        cast(this_quarter.n_members as {{ type_double() }}) / nullif(previous_quarter.n_members, 0) as size_ratio,
        this_quarter.member_share - previous_quarter.member_share as share_change,
        this_quarter.session_conversion_rate
        / nullif(previous_quarter.session_conversion_rate, 0) as conversion_ratio,
        cast(this_quarter.aov_amount as {{ type_double() }}) / nullif(previous_quarter.aov_amount, 0) as aov_ratio,
        cast(this_quarter.revenue_per_member_amount as {{ type_double() }})
        / nullif(previous_quarter.revenue_per_member_amount, 0) as revenue_per_member_ratio,
        population_changes.size_ratio as population_size_ratio,
        population_changes.conversion_ratio as population_conversion_ratio,
        population_changes.aov_ratio as population_aov_ratio,
        population_changes.revenue_per_member_ratio as population_revenue_per_member_ratio,
        this_quarter.n_members >= {{ min_members }} and previous_quarter.n_members >= {{ min_members }}
            as is_size_judged,
        coalesce(this_quarter.n_buyers >= {{ min_buyers }} and previous_quarter.n_buyers >= {{ min_buyers }}, false)
            as is_kpi_judged,
        feature_drift.max_feature_psi,
        coalesce(feature_drift.is_feature_drift, false) as is_feature_drift
    from quarters as this_quarter
    inner join quarters as previous_quarter
        on
            this_quarter.membership_basis = previous_quarter.membership_basis
            and this_quarter.segment_key = previous_quarter.segment_key
            and previous_quarter.period_start = {{ dbt.dateadd('month', -3, 'this_quarter.period_start') }}
    inner join population_changes
        on this_quarter.period_start = population_changes.period_start
    -- feature distributions are logged for every member of a segment
    left join feature_drift
        on
            this_quarter.membership_basis = 'member'
            and this_quarter.period_start = feature_drift.quarter_start
            and this_quarter.segment_key = feature_drift.segment_key
    where this_quarter.segment_key <> 'no_primary_segment'
),

changes as (
    select
        compared.*,
        compared.size_ratio - 1 as size_change_rate,
        compared.size_ratio / compared.population_size_ratio - 1 as size_change_vs_population,
        compared.exit_rate - compared.previous_exit_rate as exit_rate_change,
        compared.conversion_ratio - 1 as conversion_change_rate,
        compared.conversion_ratio / compared.population_conversion_ratio - 1 as conversion_change_vs_population,
        compared.aov_ratio - 1 as aov_change_rate,
        compared.aov_ratio / compared.population_aov_ratio - 1 as aov_change_vs_population,
        compared.revenue_per_member_ratio - 1 as revenue_per_member_change_rate,
        compared.revenue_per_member_ratio / compared.population_revenue_per_member_ratio - 1
            as revenue_per_member_change_vs_population
    from compared
),

flagged as (
    select
        changes.*,
        changes.is_size_judged
        and coalesce(abs(changes.size_change_vs_population) > {{ size_change }}, false) as is_size_drift,
        changes.is_size_judged
        and coalesce(abs(changes.share_change) > {{ share_change }}, false) as is_share_drift,
        changes.is_size_judged
        and coalesce(changes.exit_rate_change > {{ exit_rate_change }}, false) as is_exit_drift,
        changes.is_kpi_judged and coalesce(
            abs(changes.conversion_change_vs_population) > {{ kpi_change }}
            or abs(changes.aov_change_vs_population) > {{ kpi_change }}
            or abs(changes.revenue_per_member_change_vs_population) > {{ kpi_change }},
            false
        ) as is_kpi_drift
    from changes
),

final as (
    select
        cast(period_start as {{ dbt.type_string() }}) || ':' || membership_basis || ':' || segment_key
            as segment_drift_id,
        period_start as quarter_start,
        snapshot_date,
        is_partial_period,
        membership_basis,
        segment_key,
        segment_family,
        n_members,
        previous_n_members,
        {{ round_double('size_change_rate', 6) }} as size_change_rate,
        {{ round_double('population_size_ratio - 1', 6) }} as population_size_change_rate,
        {{ round_double('size_change_vs_population', 6) }} as size_change_vs_population,
        member_share,
        previous_member_share,
        {{ round_double('share_change', 6) }} as share_change,
        n_start_members,
        n_entrants,
        n_exits,
        {{ round_double('stay_rate', 6) }} as stay_rate,
        {{ round_double('entry_rate', 6) }} as entry_rate,
        {{ round_double('exit_rate', 6) }} as exit_rate,
        {{ round_double('exit_rate_change', 6) }} as exit_rate_change,
        {{ round_double('conversion_change_rate', 6) }} as conversion_change_rate,
        {{ round_double('conversion_change_vs_population', 6) }} as conversion_change_vs_population,
        {{ round_double('aov_change_rate', 6) }} as aov_change_rate,
        {{ round_double('aov_change_vs_population', 6) }} as aov_change_vs_population,
        {{ round_double('revenue_per_member_change_rate', 6) }} as revenue_per_member_change_rate,
        {{ round_double('revenue_per_member_change_vs_population', 6) }} as revenue_per_member_change_vs_population,
        is_size_judged,
        is_kpi_judged,
        is_size_drift,
        is_share_drift,
        is_exit_drift,
        is_kpi_drift,
        {{ round_double('max_feature_psi', 6) }} as max_feature_psi,
        is_feature_drift,
        is_size_drift or is_share_drift or is_exit_drift or is_kpi_drift or is_feature_drift as is_drifting
    from flagged
)

select * from final
