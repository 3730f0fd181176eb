-- One row per quarter, membership basis and customer segment with a row for the quarter before in
-- segment_kpis: how the segment changed since then. Size and share, the stay / enter / exit rates of
-- its members (start members: those at the previous quarter's snapshot), and the relative change of
-- its conversion, AOV and revenue per member, and (basis member) the largest population stability
-- index of its defining features (segment_feature_drift); each checked against a var, and
-- is_drifting when any check fires (decision 65). History accrues with the logged runs, as in segment_kpis: a quarter
-- needs a logged as-of date in it and in the quarter before.
{%- set size_change = checked_var('drift_size_change_threshold') %}
{%- set share_change = checked_var('drift_share_change_threshold') %}
{%- set exit_rate = checked_var('drift_exit_rate_threshold') %}
{%- set kpi_change = checked_var('drift_kpi_change_threshold') %}

with

quarters as (
    select
        period_start,
        snapshot_date,
        previous_snapshot_date,
        is_partial_period,
        membership_basis,
        segment_key,
        segment_family,
        n_members,
        member_share,
        n_start_members,
        n_entrants,
        n_exits,
        session_conversion_rate,
        aov_amount,
        revenue_per_member_amount
    from {{ ref('segment_kpis') }}
    where
        period_type = 'quarter'
        and segment_key <> 'no_primary_segment'
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
        cast(this_quarter.n_members - this_quarter.n_entrants as {{ type_double() }})
        / case when this_quarter.n_start_members > 0 then this_quarter.n_start_members end as stay_rate,
        cast(this_quarter.n_entrants as {{ type_double() }})
        / case when this_quarter.n_members > 0 then this_quarter.n_members end as entry_rate,
        cast(this_quarter.n_exits as {{ type_double() }})
        / case when this_quarter.n_start_members > 0 then this_quarter.n_start_members end as exit_rate,
        cast(this_quarter.n_members as {{ type_double() }})
        / case when previous_quarter.n_members > 0 then previous_quarter.n_members end - 1 as size_change_rate,
        this_quarter.member_share - previous_quarter.member_share as share_change,
        this_quarter.session_conversion_rate
        / case when previous_quarter.session_conversion_rate > 0 then previous_quarter.session_conversion_rate end
        - 1 as conversion_change_rate,
        cast(this_quarter.aov_amount as {{ type_double() }})
        / case when previous_quarter.aov_amount > 0 then previous_quarter.aov_amount end - 1 as aov_change_rate,
        cast(this_quarter.revenue_per_member_amount as {{ type_double() }})
        / case when previous_quarter.revenue_per_member_amount > 0 then previous_quarter.revenue_per_member_amount end
        - 1 as revenue_per_member_change_rate,
        feature_drift.max_feature_psi,
        coalesce(feature_drift.is_feature_drift, false) as is_feature_drift
    from quarters as this_quarter
    inner join quarters as previous_quarter
        on
            this_quarter.membership_basis = previous_quarter.membership_basis
            and this_quarter.segment_key = previous_quarter.segment_key
            and previous_quarter.period_start = {{ dbt.dateadd('month', -3, 'this_quarter.period_start') }}
    -- feature distributions are logged for every member of a segment
    left join feature_drift
        on
            this_quarter.membership_basis = 'member'
            and this_quarter.period_start = feature_drift.quarter_start
            and this_quarter.segment_key = feature_drift.segment_key
),

flagged as (
    select
        compared.*,
        coalesce(abs(compared.size_change_rate) > {{ size_change }}, false) as is_size_drift,
        coalesce(abs(compared.share_change) > {{ share_change }}, false) as is_share_drift,
        coalesce(compared.exit_rate > {{ exit_rate }}, false) as is_exit_drift,
        coalesce(
            abs(compared.conversion_change_rate) > {{ kpi_change }}
            or abs(compared.aov_change_rate) > {{ kpi_change }}
            or abs(compared.revenue_per_member_change_rate) > {{ kpi_change }},
            false
        ) as is_kpi_drift
    from compared
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
        member_share,
        previous_member_share,
        {{ round_double('share_change', 6) }} as share_change,
        n_start_members,
        n_entrants,
        n_exits,
        {{ round_double('stay_rate', 6) }} as stay_rate,
        {{ round_double('entry_rate', 6) }} as entry_rate,
        {{ round_double('exit_rate', 6) }} as exit_rate,
        {{ round_double('conversion_change_rate', 6) }} as conversion_change_rate,
        {{ round_double('aov_change_rate', 6) }} as aov_change_rate,
        {{ round_double('revenue_per_member_change_rate', 6) }} as revenue_per_member_change_rate,
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
