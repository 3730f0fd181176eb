-- One row per quarter, customer segment and defining feature logged in that quarter and the one
-- before (segment_feature_bins_log): the population stability index of the members' distribution
-- over the feature's buckets, this quarter's snapshot against the previous quarter's,
--   PSI = sum over buckets of (share now - share before) x ln(share now / share before),
-- a bucket empty on one side counted at var drift_psi_empty_share, and is_psi_drift above var
-- drift_psi_threshold (decision 65). A quarter's snapshot is its latest logged as-of date.
{%- set empty_share = checked_var('drift_psi_empty_share') %}
{%- set threshold = checked_var('drift_psi_threshold') %}

with

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

bins as (
    select
        bins_log.as_of_date,
        bins_log.segment_key,
        bins_log.feature_name,
        bins_log.bucket,
        bins_log.member_share
    from {{ ref('segment_feature_bins_log') }} as bins_log
    cross join as_of
    where bins_log.as_of_date <= as_of.as_of_date
),

quarter_snapshots as (
    select
        cast({{ dbt.date_trunc('quarter', 'as_of_date') }} as date) as quarter_start,
        max(as_of_date) as snapshot_date
    from (select distinct as_of_date from bins) as logged_dates
    group by cast({{ dbt.date_trunc('quarter', 'as_of_date') }} as date)
),

quarter_pairs as (
    select
        this_quarter.quarter_start,
        this_quarter.snapshot_date,
        previous_quarter.snapshot_date as previous_snapshot_date
    from quarter_snapshots as this_quarter
    inner join quarter_snapshots as previous_quarter
        on previous_quarter.quarter_start = {{ dbt.dateadd('month', -3, 'this_quarter.quarter_start') }}
),

-- the bins of each quarter's snapshot (now) and of the previous quarter's (before)
snapshot_bins as (
    select
        quarter_pairs.quarter_start,
        case when bins.as_of_date = quarter_pairs.snapshot_date then 'now' else 'before' end as snapshot_role,
        bins.segment_key,
        bins.feature_name,
        bins.bucket,
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

-- the (segment, feature) pairs logged on both snapshots
compared_features as (
    select distinct
        current_bins.quarter_start,
        current_bins.segment_key,
        current_bins.feature_name
    from current_bins
    inner join previous_bins
        on
            current_bins.quarter_start = previous_bins.quarter_start
            and current_bins.segment_key = previous_bins.segment_key
            and current_bins.feature_name = previous_bins.feature_name
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
    group by bucket_shares.quarter_start, bucket_shares.segment_key, bucket_shares.feature_name
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
        cast(psi.n_buckets as {{ dbt.type_bigint() }}) as n_buckets,
        {{ round_double('psi.population_stability_index', 6) }} as population_stability_index,
        psi.population_stability_index > {{ threshold }} as is_psi_drift
    from psi
    inner join quarter_pairs
        on psi.quarter_start = quarter_pairs.quarter_start
)

select * from final
