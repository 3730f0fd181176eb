-- The percentile rows of seed value_tiers must tile [0, 1]: the first starts at 0, each starts where
-- the previous ends, the last ends at 1, none is empty; and the rule rows negative and no_orders exist.
with

percentile_tiers as (
    select
        tier_code,
        top_share_from,
        top_share_to,
        lag(top_share_to) over (order by top_share_from, tier_code) as previous_to,
        row_number() over (order by top_share_from, tier_code) as tier_number,
        count(*) over () as n_tiers
    from {{ ref('value_tiers') }}
    where top_share_from is not null or top_share_to is not null
),

problems as (
    select
        tier_code,
        'bounds must be 0 <= from < to <= 1' as problem
    from percentile_tiers
    where not coalesce(top_share_from >= 0 and top_share_from < top_share_to and top_share_to <= 1, false)
    union all
    select
        tier_code,
        'first tier must start at 0' as problem
    from percentile_tiers
    where tier_number = 1 and top_share_from <> 0
    union all
    select
        tier_code,
        'gap or overlap with the previous tier' as problem
    from percentile_tiers
    where tier_number > 1 and top_share_from <> previous_to
    union all
    select
        tier_code,
        'last tier must end at 1' as problem
    from percentile_tiers
    where tier_number = n_tiers and top_share_to <> 1
    union all
    select
        required.tier_code,
        'required rule tier is missing' as problem
    from (
        select 'negative' as tier_code
        union all
        select 'no_orders' as tier_code
    ) as required
    left join {{ ref('value_tiers') }} as value_tiers
        on required.tier_code = value_tiers.tier_code
    where value_tiers.tier_code is null
)

select * from problems
