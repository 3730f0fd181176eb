-- The budget is split, not made up: the shares of segment_budget_recommendation add up to 1 (6
-- decimals each), the amounts to var budget_total_amount (to the cent), every primary segment with
-- members has a row, and no share leaves [floor, cap] (the vars, or 1 / n when they cannot hold).
{%- set total = checked_var('budget_total_amount') %}
{%- set min_share = checked_var('budget_min_share') %}
{%- set max_share = checked_var('budget_max_share') %}
with

recommendation as (
    select
        count(*) as n_segments,
        sum(budget_share) as total_share,
        sum(budget_amount) as total_amount,
        min(budget_share) as min_budget_share,
        max(budget_share) as max_budget_share
    from {{ ref('segment_budget_recommendation') }}
),

primary_segments as (
    select count(distinct primary_segment_key) as n_segments
    from {{ ref('customer_segments') }}
),

checks as (
    select
        recommendation.n_segments,
        primary_segments.n_segments as n_primary_segments,
        recommendation.total_share,
        recommendation.total_amount,
        recommendation.min_budget_share,
        recommendation.max_budget_share
    from recommendation
    cross join primary_segments
)

select *
from checks
where
    n_segments <> n_primary_segments
    or abs(total_share - 1) > 0.00001 * n_segments
    or abs(total_amount - {{ total }}) > 0.01
    or min_budget_share < least({{ min_share }}, 1.0 / n_segments) - 0.000001
    or max_budget_share > greatest({{ max_share }}, 1.0 / n_segments) + 0.000001
