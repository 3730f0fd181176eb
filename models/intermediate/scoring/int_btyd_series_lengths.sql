-- One row per (frequency, tenure_days, step_index) of the buyers' histories: for t = days_ahead, how many
-- terms of the series S(z) behind BG/NBD expected purchases to sum (int_btyd_purchase_series sums them),
-- with the series' arguments. With z = t / (alpha + T + t), C = a + b - 1 + x and S(z) = sum_k e_k z^k:
-- the tail beyond n terms is at most |C| (1 - z)^(a - 1) |e_(n+1)| z^(n+1) / (1 - z) once |e_k| no
-- longer grows, so n is the smallest 2^b whose bound is below clv_series_tolerance, else the longest
-- the coefficient table holds (a data test on int_btyd_purchase_series fails then). docs/decisions.md 34.
{%- set horizon_days = checked_var('clv_horizon_days') %}
{%- set periods = checked_var('clv_discount_periods') | int %}
{%- set log_tolerance = 'ln(' ~ checked_var('clv_series_tolerance') ~ ')' %}
{#- exp() of more than +-700 leaves the double range, where PostgreSQL raises instead of returning 0 / inf -#}
{%- set max_exp_argument = 700 %}
{%- set double = type_double() %}

with

parameters as (
    select
        r,
        alpha,
        a,
        b
    from {{ ref('int_btyd_parameters') }}
),

coefficients as (
    select
        frequency,
        term_index,
        term_bucket,
        is_bucket_start,
        coefficient_ratio,
        log_abs_coefficient,
        coefficient_sign
    from {{ ref('int_btyd_series_coefficients') }}
),

histories as (
    select distinct
        frequency,
        tenure_days
    from {{ ref('int_customer_btyd_inputs') }}
),

steps as (
    {%- for step in range(1, periods + 1) %}
        select {{ step }} as step_index
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

series as (
    select
        histories.frequency,
        histories.tenure_days,
        steps.step_index,
        cast({{ horizon_days }} as {{ double }}) * steps.step_index / {{ periods }} as days_ahead,
        parameters.a + parameters.b - 1 + histories.frequency as hypergeometric_c,
        parameters.a - 1 as a_minus_one,
        parameters.a - parameters.r - histories.frequency - 2 as ratio_slope,
        (parameters.a + parameters.b - 1 - parameters.r) * (parameters.a - 1)
        - (parameters.a + parameters.b - 1 + histories.frequency) as ratio_intercept,
        parameters.alpha + histories.tenure_days as alpha_plus_tenure
    from histories
    cross join steps
    cross join parameters
),

series_with_z as (
    select
        frequency,
        tenure_days,
        step_index,
        days_ahead,
        hypergeometric_c,
        a_minus_one,
        ratio_slope,
        ratio_intercept,
        days_ahead / (alpha_plus_tenure + days_ahead) as z,
        ln(days_ahead / (alpha_plus_tenure + days_ahead)) as log_z,
        ln(alpha_plus_tenure / (alpha_plus_tenure + days_ahead)) as log_one_minus_z
    from series
),

-- |e_k| never grows again from term monotone_from_term on: inside the table no ratio after it exceeds
-- 1, and beyond the table the ratio - 1 has the sign of (ratio_slope * k + ratio_intercept), which
-- stays <= 0 once it is when ratio_slope < 0 (checked per series below)
coefficient_tails as (
    select
        frequency,
        max(case when term_index > 1 and abs(coefficient_ratio) > 1 then term_index else 1 end)
            as monotone_from_term,
        max(term_index) as last_term_index
    from coefficients
    group by frequency
),

-- candidate lengths n = 2^b: tail sum_(k > n) |e_k| z^k <= |e_(n+1)| z^(n+1) / (1 - z), times |C| (1 - z)^(a - 1)
candidate_bounds as (
    select
        series_with_z.frequency,
        series_with_z.tenure_days,
        series_with_z.step_index,
        series_with_z.days_ahead,
        series_with_z.z,
        series_with_z.log_z,
        series_with_z.log_one_minus_z,
        series_with_z.hypergeometric_c,
        series_with_z.a_minus_one,
        coefficients.term_bucket - 1 as series_bucket,
        coefficients.term_index - 1 as n_terms,
        case
            when coefficients.coefficient_sign <> 0
                then
                    ln(abs(series_with_z.hypergeometric_c))
                    + (series_with_z.a_minus_one - 1) * series_with_z.log_one_minus_z
                    + coefficients.log_abs_coefficient
                    + coefficients.term_index * series_with_z.log_z
        end as log_error_bound,
        coalesce(
            coefficient_tails.monotone_from_term < coefficient_tails.last_term_index
            and coefficients.term_index >= coefficient_tails.monotone_from_term
            and (
                series_with_z.ratio_slope < 0
                or (series_with_z.ratio_slope = 0 and series_with_z.ratio_intercept <= 0)
            ),
            false
        ) as is_bound_valid,
        coefficients.coefficient_sign = 0 as is_series_ended
    from series_with_z
    inner join coefficients
        on
            series_with_z.frequency = coefficients.frequency
            and coefficients.is_bucket_start
            and coefficients.term_bucket >= 1
    inner join coefficient_tails
        on series_with_z.frequency = coefficient_tails.frequency
),

candidate_checks as (
    select
        frequency,
        tenure_days,
        step_index,
        days_ahead,
        z,
        log_z,
        log_one_minus_z,
        hypergeometric_c,
        a_minus_one,
        series_bucket,
        n_terms,
        case
            when not is_bound_valid then cast(null as {{ double }})
            when is_series_ended then 0
            when log_error_bound < -{{ max_exp_argument }} then 0
            else exp(log_error_bound)
        end as error_bound,
        is_bound_valid and (is_series_ended or log_error_bound <= {{ log_tolerance }}) as is_within_tolerance
    from candidate_bounds
),

-- the shortest length within tolerance, else the longest; valid bounds fall as n grows, so the bound of
-- the chosen length is the largest bound within tolerance, else the smallest valid one
chosen_lengths as (
    select
        frequency,
        tenure_days,
        step_index,
        max(days_ahead) as days_ahead,
        max(z) as z,
        max(log_z) as log_z,
        max(log_one_minus_z) as log_one_minus_z,
        max(hypergeometric_c) as hypergeometric_c,
        max(a_minus_one) as a_minus_one,
        coalesce(min(case when is_within_tolerance then series_bucket end), max(series_bucket)) as series_bucket,
        coalesce(min(case when is_within_tolerance then n_terms end), max(n_terms)) as n_terms,
        coalesce(max(case when is_within_tolerance then error_bound end), min(error_bound)) as series_error_bound
    from candidate_checks
    group by frequency, tenure_days, step_index
)

select * from chosen_lengths
