-- One row per quarter, customer segment and defining feature logged in that quarter and the one
-- before (segment_feature_bins_log): the population stability index of the members' distribution
-- over the feature's buckets, this quarter's snapshot against the previous quarter's,
--   PSI = sum over buckets of (share now - share before) x ln(share now / share before),
-- a bucket empty on one side counted at var drift_psi_empty_share. Its p-value reads PSI x n m /
-- (n + m) (n, m: members on each snapshot) as chi-square with buckets - 1 degrees of freedom, the
-- two-sample test it approximates. is_psi_drift when PSI is above var drift_psi_threshold, the
-- p-value below var drift_psi_alpha (a small segment's noise does not pass for a shift), both
-- snapshots hold var drift_min_members members, and the feature does not move with time alone
-- (feature_catalog.moves_with_time: days since, age, BTYD predictions shift in a lapsed segment by
-- construction) (decisions 65, 66). The quarters and their snapshots are segment_kpis's (a
-- quarter's latest logged as-of date, and the previous quarter's), so both marts compare the same runs.
{%- set empty_share = checked_var('drift_psi_empty_share') %}
{%- set threshold = checked_var('drift_psi_threshold') %}
{%- set alpha = checked_var('drift_psi_alpha') %}
{%- set min_members = checked_var('drift_min_members') %}

with

-- quarters whose previous snapshot lies in the quarter before
quarter_pairs as (
    select distinct
        period_start as quarter_start,
        snapshot_date,
        previous_snapshot_date
    from {{ ref('segment_kpis') }}
    where
        period_type = 'quarter'
        and previous_snapshot_date >= {{ dbt.dateadd('month', -3, 'period_start') }}
),

bins as (
    select
        as_of_date,
        segment_key,
        feature_name,
        bucket,
        n_members,
        member_share
    from {{ ref('segment_feature_bins_log') }}
),

-- the bins of each quarter's snapshot (now) and of the previous quarter's (before)
snapshot_bins as (
    select
        quarter_pairs.quarter_start,
        case when bins.as_of_date = quarter_pairs.snapshot_date then 'now' else 'before' end as snapshot_role,
        bins.segment_key,
        bins.feature_name,
        bins.bucket,
        bins.n_members,
        bins.member_share
    from quarter_pairs
    inner join bins
        on bins.as_of_date in (quarter_pairs.snapshot_date, quarter_pairs.previous_snapshot_date)
),

current_bins as (
    select
        quarter_start,
        segment_key,
        feature_name,
        bucket,
        member_share
    from snapshot_bins
    where snapshot_role = 'now'
),

previous_bins as (
    select
        quarter_start,
        segment_key,
        feature_name,
        bucket,
        member_share
    from snapshot_bins
    where snapshot_role = 'before'
),

-- members per snapshot role, segment and feature
snapshot_sizes as (
    select
        quarter_start,
        snapshot_role,
        segment_key,
        feature_name,
        sum(n_members) as n_members
    from snapshot_bins
    group by quarter_start, snapshot_role, segment_key, feature_name
),

-- the (segment, feature) pairs logged on both snapshots, with their members on each
compared_features as (
    select
        current_sizes.quarter_start,
        current_sizes.segment_key,
        current_sizes.feature_name,
        current_sizes.n_members,
        previous_sizes.n_members as previous_n_members
    from snapshot_sizes as current_sizes
    inner join snapshot_sizes as previous_sizes
        on
            current_sizes.quarter_start = previous_sizes.quarter_start
            and current_sizes.segment_key = previous_sizes.segment_key
            and current_sizes.feature_name = previous_sizes.feature_name
    where
        current_sizes.snapshot_role = 'now'
        and previous_sizes.snapshot_role = 'before'
),

bucket_shares as (
    select
        coalesce(current_bins.quarter_start, previous_bins.quarter_start) as quarter_start,
        coalesce(current_bins.segment_key, previous_bins.segment_key) as segment_key,
        coalesce(current_bins.feature_name, previous_bins.feature_name) as feature_name,
        case
            when current_bins.member_share > 0 then current_bins.member_share else {{ empty_share }}
        end as current_share,
        case
            when previous_bins.member_share > 0 then previous_bins.member_share else {{ empty_share }}
        end as previous_share
    from current_bins
    full outer join previous_bins
        on
            current_bins.quarter_start = previous_bins.quarter_start
            and current_bins.segment_key = previous_bins.segment_key
            and current_bins.feature_name = previous_bins.feature_name
            and current_bins.bucket = previous_bins.bucket
),

psi as (
    select
        bucket_shares.quarter_start,
        bucket_shares.segment_key,
        bucket_shares.feature_name,
        compared_features.n_members,
        compared_features.previous_n_members,
        count(*) as n_buckets,
        sum(
            (bucket_shares.current_share - bucket_shares.previous_share)
            * ln(bucket_shares.current_share / bucket_shares.previous_share)
        ) as population_stability_index
    from bucket_shares
    inner join compared_features
        on
            bucket_shares.quarter_start = compared_features.quarter_start
            and bucket_shares.segment_key = compared_features.segment_key
            and bucket_shares.feature_name = compared_features.feature_name
    group by
        bucket_shares.quarter_start,
        bucket_shares.segment_key,
        bucket_shares.feature_name,
        compared_features.n_members,
        compared_features.previous_n_members
),

tested as (
    select
        psi.*,
        case
            when psi.n_buckets > 1 and psi.n_members > 0 and psi.previous_n_members > 0
                then {{ chi_square_upper_tail(
                    'psi.population_stability_index * psi.n_members * psi.previous_n_members'
                    ~ ' / (psi.n_members + psi.previous_n_members)', 'psi.n_buckets - 1') }}
            else 1.0
        end as psi_p_value
    from psi
),

final as (
    select
        cast(psi.quarter_start as {{ dbt.type_string() }}) || ':' || psi.segment_key || ':' || psi.feature_name
            as segment_feature_drift_id,
        psi.quarter_start,
        quarter_pairs.snapshot_date,
        quarter_pairs.previous_snapshot_date,
        psi.segment_key,
        psi.feature_name,
        cast(psi.n_members as {{ dbt.type_bigint() }}) as n_members,
        cast(psi.previous_n_members as {{ dbt.type_bigint() }}) as previous_n_members,
        cast(psi.n_buckets as {{ dbt.type_bigint() }}) as n_buckets,
        {{ round_double('psi.population_stability_index', 6) }} as population_stability_index,
        {{ round_double('psi.psi_p_value', 6) }} as psi_p_value,
        cast(coalesce(feature_catalog.moves_with_time, false) as {{ dbt.type_boolean() }}) as moves_with_time,
        psi.population_stability_index > {{ threshold }}
        and psi.psi_p_value < {{ alpha }}
        and psi.n_members >= {{ min_members }}
        and psi.previous_n_members >= {{ min_members }}
        and not coalesce(feature_catalog.moves_with_time, false) as is_psi_drift
    from tested as psi
    inner join quarter_pairs
        on psi.quarter_start = quarter_pairs.quarter_start
    left join {{ ref('feature_catalog') }} as feature_catalog
        on psi.feature_name = feature_catalog.feature_name
)

select * from final
