-- One row per (frequency, term_index k = 1 .. 2^d + 1, where 2^d >= var clv_series_max_terms): the
-- coefficient e_k of the series S(z) = sum_k e_k z^k that BG/NBD expected purchases need
-- (docs/decisions.md): e_k = (A)_k (a)_(k-1) / ((C)_k k!), A = a + b - 1 - r, C = a + b - 1 + frequency.
-- It depends on the frequency only, so it is computed once per distinct frequency, in logs (no
-- lgamma on PostgreSQL): log|e_k| is a running sum of log|e_j / e_(j-1)|, the sign a running parity.
-- Terms are grouped in doubling buckets (1 | 2 | 3-4 | 5-8 | ...) so a series of 2^b terms is an
-- equality join on the buckets 0 .. b. The extra last term only serves the truncation bound.
-- When a <= 2 every |e_k| <= |e_1|, so a frequency never needs more terms than its youngest buyer's
-- longest step (largest z) could: the table stops there (a few per cent of the rows at 10k buyers).
{%- set max_terms = checked_var('clv_series_max_terms') | int %}
{%- set ns = namespace(doublings=0) %}
{%- for _ in range(40) %}
    {%- if 2 ** ns.doublings < max_terms %}
        {%- set ns.doublings = ns.doublings + 1 %}
    {%- endif %}
{%- endfor %}
{%- set max_series_terms = 2 ** ns.doublings %}
{%- set last_term_index = max_series_terms + 1 %}
{%- set n_digits = last_term_index | string | length %}
{%- set horizon_days = checked_var('clv_horizon_days') %}
{%- set log_tolerance = 'ln(' ~ checked_var('clv_series_tolerance') ~ ')' %}
{%- set double = type_double() %}
{%- set place_values = [] %}
{%- for position in range(n_digits) %}
    {%- do place_values.append((10 ** position) ~ ' * digits_' ~ position ~ '.digit') %}
{%- endfor %}

with

parameters as (
    select
        r,
        alpha,
        a,
        b
    from {{ ref('int_btyd_parameters') }}
),

frequencies as (
    select
        frequency,
        min(tenure_days) as min_tenure_days
    from {{ ref('int_customer_btyd_inputs') }}
    group by frequency
),

digits as (
    {%- for digit in range(10) %}
        select {{ digit }} as digit
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

term_indexes as (
    select 1 + {{ place_values | join(' + ') }} as term_index
    from digits as digits_0
    {% for position in range(1, n_digits) %}
        cross join digits as digits_{{ position }}
    {% endfor %}
),

-- bucket 0 holds term 1, bucket b >= 1 terms 2^(b-1) + 1 .. 2^b
buckets as (
    {%- for bucket in range(ns.doublings + 2) %}
        select
            {{ bucket }} as term_bucket,
            {{ 1 if bucket == 0 else 2 ** (bucket - 1) + 1 }} as first_term_index,
            {{ 2 ** bucket }} as last_term_index
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

terms as (
    select
        term_indexes.term_index,
        buckets.term_bucket,
        term_indexes.term_index = buckets.first_term_index as is_bucket_start
    from term_indexes
    inner join buckets
        on term_indexes.term_index between buckets.first_term_index and buckets.last_term_index
    where term_indexes.term_index <= {{ last_term_index }}
),

-- largest z = t / (alpha + T + t) of the frequency: the whole horizon ahead of its youngest buyer
longest_series as (
    select
        frequencies.frequency,
        cast({{ horizon_days }} as {{ double }})
        / (parameters.alpha + frequencies.min_tenure_days + {{ horizon_days }}) as max_z,
        abs(parameters.a + parameters.b - 1 - parameters.r) as abs_a_term,
        parameters.a,
        -- |e_k / e_(k-1)| <= 1 for every k >= 2, so |e_k| <= |e_1| = |A| / |C|
        parameters.a <= 2 and 2 * (parameters.a + parameters.b) - parameters.r + frequencies.frequency >= 0
            as has_unit_ratios
    from frequencies
    cross join parameters
),

-- terms n with |A| (1 - z)^(a - 2) z^(n + 1) <= tolerance (the truncation bound with |e_(n+1)| <= |e_1|)
needed_terms as (
    select
        frequency,
        case
            when not has_unit_ratios or max_z is null then {{ max_series_terms }}
            when abs_a_term = 0 then 1
            else
                least(
                    {{ max_series_terms }},
                    greatest(
                        1,
                        ceil(({{ log_tolerance }} + (2 - a) * ln(1 - max_z) - ln(abs_a_term)) / ln(max_z)) - 1
                    )
                )
        end as n_needed
    from longest_series
),

-- the doubling that covers n_needed, plus the term after it (for the bound)
term_limits as (
    select
        needed_terms.frequency,
        min(buckets.last_term_index) + 1 as last_term_index
    from needed_terms
    inner join buckets
        on needed_terms.n_needed <= buckets.last_term_index
    group by needed_terms.frequency
),

-- e_k / e_(k-1), with e_0 = 1. A zero ratio ends the series (all later coefficients are 0); a zero
-- denominator (C a non-positive integer: a + b <= 1) has no series and leaves the ratio null.
ratios as (
    select
        frequencies.frequency,
        terms.term_index,
        terms.term_bucket,
        terms.is_bucket_start,
        case
            when terms.term_index = 1
                then
                    cast(parameters.a + parameters.b - 1 - parameters.r as {{ double }})
                    / nullif(parameters.a + parameters.b - 1 + frequencies.frequency, 0)
            else
                (parameters.a + parameters.b - 1 - parameters.r + terms.term_index - 1)
                * (parameters.a + terms.term_index - 2)
                / nullif(parameters.a + parameters.b - 2 + frequencies.frequency + terms.term_index, 0)
                / terms.term_index
        end as coefficient_ratio
    from frequencies
    inner join term_limits
        on frequencies.frequency = term_limits.frequency
    inner join terms
        on term_limits.last_term_index >= terms.term_index
    cross join parameters
),

running as (
    select
        frequency,
        term_index,
        term_bucket,
        is_bucket_start,
        coefficient_ratio,
        sum(case when coefficient_ratio <> 0 then ln(abs(coefficient_ratio)) end) over running_terms
            as log_abs_product,
        sum(case when coefficient_ratio < 0 then 1 else 0 end) over running_terms as n_negative_ratios,
        sum(case when coefficient_ratio = 0 then 1 else 0 end) over running_terms as n_zero_ratios
    from ratios
    window running_terms as (
        partition by frequency
        order by term_index
        rows between unbounded preceding and current row
    )
),

final as (
    select
        cast(frequency as {{ dbt.type_bigint() }}) as frequency,
        cast(term_index as {{ dbt.type_bigint() }}) as term_index,
        cast(term_bucket as {{ dbt.type_bigint() }}) as term_bucket,
        cast(is_bucket_start as {{ dbt.type_boolean() }}) as is_bucket_start,
        cast(coefficient_ratio as {{ double }}) as coefficient_ratio,
        cast(case when n_zero_ratios = 0 then log_abs_product end as {{ double }}) as log_abs_coefficient,
        cast(
            case
                when n_zero_ratios > 0 then 0
                when mod(n_negative_ratios, 2) = 1 then -1
                else 1
            end as {{ dbt.type_int() }}
        ) as coefficient_sign
    from running
)

select * from final
