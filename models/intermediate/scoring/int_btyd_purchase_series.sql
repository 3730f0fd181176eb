-- One row per (frequency, tenure_days, step_index) of the buyers' histories: the BG/NBD expected number
-- of purchases in the next days_ahead days of a customer who is still alive, for days_ahead = step_index
-- x clv_horizon_days / clv_discount_periods (customer_clv multiplies by P(alive) and discounts the steps).
-- Given alive, it depends on (frequency x, tenure T) only, so 1M customers need at most as many rows as
-- distinct (x, T) pairs. With z = t / (alpha + T + t), C = a + b - 1 + x and L = ln(1 - z):
--   E[Y(t) | alive] = C * ((1 - exp((a - 1) L)) / (a - 1) - exp((a - 1) L) * S(z)),  S(z) = sum_k e_k z^k
-- (Fader, Hardie and Lee 2005, eq. 10, after the Euler transformation of 2F1; docs/decisions.md).
-- int_btyd_series_lengths gives z, its logs and how many terms of S(z) to sum (2^b terms for the
-- smallest b whose tail bound is below clv_series_tolerance); this model sums them.
{#- exp() of more than +-700 leaves the double range, where PostgreSQL raises instead of returning 0 / inf -#}
{%- set max_exp_argument = 700 %}
{#- below this |(a - 1) L| the closed form (1 - exp(u)) / (a - 1) loses digits (and is 0/0 at a = 1):
    a 4-term Taylor series of (exp(u) - 1) / u is then exact to ~1e-14 relative -#}
{%- set small_exponent = 0.001 %}
{%- set double = type_double() %}

with

series_lengths as (
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
        series_error_bound
    from {{ ref('int_btyd_series_lengths') }}
),

coefficients as (
    select
        frequency,
        term_index,
        term_bucket,
        log_abs_coefficient,
        coefficient_sign
    from {{ ref('int_btyd_series_coefficients') }}
),

buckets as (
    select distinct term_bucket
    from coefficients
),

series_buckets as (
    select
        series_lengths.frequency,
        series_lengths.tenure_days,
        series_lengths.step_index,
        series_lengths.days_ahead,
        series_lengths.z,
        series_lengths.log_z,
        series_lengths.log_one_minus_z,
        series_lengths.hypergeometric_c,
        series_lengths.a_minus_one,
        series_lengths.n_terms,
        series_lengths.series_error_bound,
        buckets.term_bucket
    from series_lengths
    inner join buckets
        on series_lengths.series_bucket >= buckets.term_bucket
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
