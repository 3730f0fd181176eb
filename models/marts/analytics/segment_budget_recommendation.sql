-- One row per primary segment with members at the as-of date: its share of the marketing budget (var
-- budget_total_amount) by expected incremental value (decision 63).
--   expected incremental value = members x mean predicted CLV x response rate
--   response rate = the best lower 95 % bound of the relative conversion lift among the segment's
--     significant, positive treatment effects (experiment_results_by_segment, Benjamini-Hochberg
--     adjusted, no sample-ratio mismatch); else var budget_default_response_rate
--   share = min(cap, floor + lambda x expected incremental value), lambda such that the shares add up
--     to 1: every segment gets the floor (var budget_min_share), the rest goes in proportion to the
--     value, and no segment gets more than the cap (var budget_max_share); what a capped segment
--     would have had goes to the others in the same proportion.
-- When the vars cannot hold for this many segments, the floor drops to and the cap rises to 1 / n.
{%- set total = checked_var('budget_total_amount') %}
{%- set min_share = checked_var('budget_min_share') %}
{%- set max_share = checked_var('budget_max_share') %}
{%- set default_response = checked_var('budget_default_response_rate') %}

with

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

members as (
    select
        segments.primary_segment_key as segment_key,
        count(*) as n_members,
        avg(coalesce(clv.predicted_clv, 0)) as mean_predicted_clv
    from {{ ref('customer_segments') }} as segments
    left join {{ ref('customer_clv') }} as clv
        on segments.customer_key = clv.customer_key
    group by segments.primary_segment_key
),

experiment_responses as (
    select
        segment_key,
        max(relative_lift_ci_low) as response_rate,
        count(distinct experiment_id) as n_experiments
    from {{ ref('experiment_results_by_segment') }}
    where
        not is_control
        and segment_key <> 'all'
        and is_significant
        and not is_sample_ratio_mismatch
        and relative_lift_ci_low > 0
    group by segment_key
),

valued as (
    select
        members.segment_key,
        members.n_members,
        members.mean_predicted_clv,
        coalesce(experiment_responses.response_rate, {{ default_response }}) as response_rate,
        case when experiment_responses.segment_key is null then 'default' else 'experiment' end as response_source,
        members.n_members * members.mean_predicted_clv
        * coalesce(experiment_responses.response_rate, {{ default_response }}) as expected_incremental_value
    from members
    left join experiment_responses
        on members.segment_key = experiment_responses.segment_key
),

-- the floor and cap that can hold for n segments
bounds as (
    select
        count(*) as n_segments,
        sum(expected_incremental_value) as total_value,
        case
            when {{ min_share }} * count(*) > 1 then 1.0 / count(*)
            else {{ min_share }}
        end as floor_share,
        case
            when {{ max_share }} * count(*) < 1 then 1.0 / count(*)
            else {{ max_share }}
        end as cap_share
    from valued
),

-- largest value first; candidate i: the i - 1 segments before it are capped, it and the rest are not
ranked as (
    select
        valued.segment_key,
        valued.expected_incremental_value,
        row_number() over (order by valued.expected_incremental_value desc, valued.segment_key asc) as value_rank,
        bounds.total_value - coalesce(
            sum(valued.expected_incremental_value) over (
                order by valued.expected_incremental_value desc, valued.segment_key asc
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as uncapped_value
    from valued
    cross join bounds
),

candidates as (
    select
        ranked.value_rank,
        ranked.uncapped_value,
        1 - (ranked.value_rank - 1) * bounds.cap_share
        - (bounds.n_segments - ranked.value_rank + 1) * bounds.floor_share as share_to_spread,
        bounds.floor_share,
        bounds.cap_share,
        ranked.expected_incremental_value
    from ranked
    cross join bounds
),

-- the fewest capped segments for which the largest uncapped one stays within the cap
solution as (
    select min(value_rank) as first_uncapped_rank
    from candidates
    where
        uncapped_value = 0
        or floor_share + share_to_spread * expected_incremental_value / uncapped_value <= cap_share + 1e-12
),

multiplier as (
    select
        candidates.value_rank as first_uncapped_rank,
        candidates.uncapped_value,
        candidates.share_to_spread
    from candidates
    inner join solution
        on candidates.value_rank = solution.first_uncapped_rank
),

shares as (
    select
        ranked.segment_key,
        case
            when ranked.value_rank < multiplier.first_uncapped_rank then bounds.cap_share
            when multiplier.uncapped_value = 0
                then
                    bounds.floor_share
                    + multiplier.share_to_spread / (bounds.n_segments - multiplier.first_uncapped_rank + 1)
            else
                bounds.floor_share
                + multiplier.share_to_spread * ranked.expected_incremental_value / multiplier.uncapped_value
        end as budget_share
    from ranked
    cross join multiplier
    cross join bounds
),

final as (
    select
        valued.segment_key,
        as_of.as_of_date,
        cast(valued.n_members as {{ dbt.type_bigint() }}) as n_members,
        cast(valued.mean_predicted_clv as {{ money_type(wide=true) }}) as mean_predicted_clv_amount,
        {{ round_double('valued.response_rate', 6) }} as response_rate,
        valued.response_source,
        cast(valued.expected_incremental_value as {{ money_type(wide=true) }}) as expected_incremental_value_amount,
        {{ round_double('shares.budget_share', 6) }} as budget_share,
        cast(shares.budget_share * {{ total }} as {{ money_type(wide=true) }}) as budget_amount,
        shares.budget_share >= bounds.cap_share - 1e-9 as is_at_cap,
        shares.budget_share <= bounds.floor_share + 1e-9 as is_at_floor
    from valued
    inner join shares
        on valued.segment_key = shares.segment_key
    cross join as_of
    cross join bounds
)

select * from final
