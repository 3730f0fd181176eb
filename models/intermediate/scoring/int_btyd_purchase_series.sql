-- One row per (frequency, tenure_days, step_index) of the buyers' histories: the BG/NBD expected number
-- of purchases in the next days_ahead days of a customer who is still alive, for days_ahead = step_index
-- x clv_horizon_days / clv_discount_periods (customer_clv multiplies by P(alive) and discounts the steps).
-- Given alive, it depends on (frequency x, tenure T) only, so 1M customers need at most as many rows as
-- distinct (x, T) pairs. With z = t / (alpha + T + t), C = a + b - 1 + x and L = ln(1 - z):
--   E[Y(t) | alive] = C * ((1 - exp((a - 1) L)) / (a - 1) - exp((a - 1) L) * S(z)),  S(z) = sum_k e_k z^k
-- (Fader, Hardie and Lee 2005, eq. 10, after the Euler transformation of 2F1; docs/decisions.md).
-- S(z) takes 2^b terms for the smallest b whose tail bound is below clv_series_tolerance.
{%- set horizon_days = checked_var('clv_horizon_days') %}
{%- set periods = checked_var('clv_discount_periods') | int %}
{%- set log_tolerance = 'ln(' ~ checked_var('clv_series_tolerance') ~ ')' %}
{#- exp() of more than +-700 leaves the double range, where PostgreSQL raises instead of returning 0 / inf -#}
{%- set max_exp_argument = 700 %}
{#- below this |(a - 1) L| the closed form (1 - exp(u)) / (a - 1) loses digits (and is 0/0 at a = 1):
    a 4-term Taylor series of (exp(u) - 1) / u is then exact to ~1e-14 relative -#}
{%- set small_exponent = 0.001 %}
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
),

buckets as (
    select distinct term_bucket
    from coefficients
),

series_buckets as (
    select
        chosen_lengths.frequency,
        chosen_lengths.tenure_days,
        chosen_lengths.step_index,
        chosen_lengths.days_ahead,
        chosen_lengths.z,
        chosen_lengths.log_z,
        chosen_lengths.log_one_minus_z,
        chosen_lengths.hypergeometric_c,
        chosen_lengths.a_minus_one,
        chosen_lengths.n_terms,
        chosen_lengths.series_error_bound,
        buckets.term_bucket
    from chosen_lengths
    inner join buckets
        on chosen_lengths.series_bucket >= buckets.term_bucket
),

-- exact decimal sums: the result does not depend on the order the engine adds the terms in
series_sums as (
    select
        series_buckets.frequency,
        series_buckets.tenure_days,
        series_buckets.step_index,
        max(series_buckets.days_ahead) as days_ahead,
        max(series_buckets.z) as z,
        max(series_buckets.log_one_minus_z) as log_one_minus_z,
        max(series_buckets.hypergeometric_c) as hypergeometric_c,
        max(series_buckets.a_minus_one) as a_minus_one,
        max(series_buckets.n_terms) as n_terms,
        max(series_buckets.series_error_bound) as series_error_bound,
        sum(
            cast(
                case
                    when coefficients.coefficient_sign = 0 then 0
                    when
                        coefficients.log_abs_coefficient + coefficients.term_index * series_buckets.log_z
                        < -{{ max_exp_argument }}
                        then 0
                    else
                        coefficients.coefficient_sign
                        * exp(coefficients.log_abs_coefficient + coefficients.term_index * series_buckets.log_z)
                end as decimal(38, 30)
            )
        ) as series_sum
    from series_buckets
    inner join coefficients
        on
            series_buckets.frequency = coefficients.frequency
            and series_buckets.term_bucket = coefficients.term_bucket
    group by series_buckets.frequency, series_buckets.tenure_days, series_buckets.step_index
),

expectations as (
    select
        frequency,
        tenure_days,
        step_index,
        days_ahead,
        z,
        n_terms,
        series_error_bound,
        cast(series_sum as {{ double }}) as series_sum,
        hypergeometric_c * (
            case
                when abs(a_minus_one * log_one_minus_z) < {{ small_exponent }}
                    then
                        -log_one_minus_z * (
                            1
                            + a_minus_one * log_one_minus_z / 2
                            + power(a_minus_one * log_one_minus_z, 2) / 6
                            + power(a_minus_one * log_one_minus_z, 3) / 24
                        )
                else (1 - exp(a_minus_one * log_one_minus_z)) / a_minus_one
            end
            - exp(a_minus_one * log_one_minus_z) * cast(series_sum as {{ double }})
        ) as expected_purchases_if_alive
    from series_sums
),

final as (
    select
        cast(frequency as {{ dbt.type_bigint() }}) as frequency,
        cast(tenure_days as {{ dbt.type_bigint() }}) as tenure_days,
        cast(step_index as {{ dbt.type_int() }}) as step_index,
        cast(days_ahead as {{ double }}) as days_ahead,
        cast(z as {{ double }}) as z,
        cast(n_terms as {{ dbt.type_bigint() }}) as n_terms,
        cast(series_error_bound as {{ double }}) as series_error_bound,
        cast(series_sum as {{ double }}) as series_sum,
        -- 12 decimals (below the series tolerance): identical digits on every engine
        cast(cast(expected_purchases_if_alive as decimal(38, 12)) as {{ double }}) as expected_purchases_if_alive
    from expectations
)

select * from final
