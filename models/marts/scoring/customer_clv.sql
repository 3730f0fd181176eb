-- One row per customer (every customer_key of dim_customers) as of the as-of date: BG/NBD probability
-- of being alive, expected purchases (order days) and Gamma-Gamma spend over the next clv_horizon_days,
-- and the discounted predicted CLV. Prospects (no counted order yet) get null predictions.
--   P(alive)     = 1 / (1 + a / (b + x - 1) * ((alpha + T) / (alpha + t_x))^(r + x)), 1 when x = 0
--   E[Y(t)]      = P(alive) * E[Y(t) | alive] (int_btyd_purchase_series)
--   order value  = p (gamma + x m) / (p x + q - 1), m = mean repeat-day spend floored at 0
--   CLV          = order value * P(alive) * sum over steps i of
--                  (E[Y(t_i) | alive] - E[Y(t_(i-1)) | alive]) / (1 + annual rate)^(t_i / 365)
{%- set horizon_days = checked_var('clv_horizon_days') %}
{%- set periods = checked_var('clv_discount_periods') | int %}
{%- set annual_rate = checked_var('clv_annual_discount_rate') %}
{#- the annual rate compounds once per 365 days -#}
{%- set days_per_year = 365 %}
{#- exp() of more than +-700 leaves the double range, where PostgreSQL raises instead of returning 0 / inf -#}
{%- set max_exp_argument = 700 %}
{%- set double = type_double() %}
{%- set money = money_type(wide=true) %}

with

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

customers as (
    select customer_key
    from {{ ref('dim_customers') }}
),

inputs as (
    select
        customer_key,
        frequency,
        recency_days,
        tenure_days,
        monetary_value
    from {{ ref('int_customer_btyd_inputs') }}
),

parameters as (
    select
        r,
        alpha,
        a,
        b,
        p,
        q,
        gamma,
        parameter_source
    from {{ ref('int_btyd_parameters') }}
),

series as (
    select
        frequency,
        tenure_days,
        step_index,
        days_ahead,
        expected_purchases_if_alive
    from {{ ref('int_btyd_purchase_series') }}
),

series_increments as (
    select
        frequency,
        tenure_days,
        step_index,
        expected_purchases_if_alive,
        (
            expected_purchases_if_alive
            - coalesce(
                lag(expected_purchases_if_alive) over (
                    partition by frequency, tenure_days
                    order by step_index
                ),
                0
            )
        )
        / power(1 + cast({{ annual_rate }} as {{ double }}), days_ahead / {{ days_per_year }})
            as discounted_increment
    from series
),

-- one row per (frequency, tenure): the join grain of the buyers; exact decimal sum (order-independent)
purchases_if_alive as (
    select
        frequency,
        tenure_days,
        max(case when step_index = {{ periods }} then expected_purchases_if_alive end)
            as expected_purchases_if_alive,
        cast(sum(cast(discounted_increment as decimal(38, 18))) as {{ double }}) as discounted_purchases_if_alive
    from series_increments
    group by frequency, tenure_days
),

scored as (
    select
        inputs.customer_key,
        inputs.frequency,
        inputs.recency_days,
        inputs.tenure_days,
        inputs.monetary_value,
        parameters.parameter_source,
        purchases_if_alive.expected_purchases_if_alive,
        purchases_if_alive.discounted_purchases_if_alive,
        -- log odds of "dropped out after the last purchase" vs "still alive"
        case
            when inputs.frequency > 0
                then
                    ln(parameters.a) - ln(parameters.b + inputs.frequency - 1)
                    + (parameters.r + inputs.frequency)
                    * ln((parameters.alpha + inputs.tenure_days) / (parameters.alpha + inputs.recency_days))
        end as log_odds_dropped_out,
        case
            when inputs.frequency = 0 then parameters.p * parameters.gamma / (parameters.q - 1)
            else
                parameters.p
                * (parameters.gamma + inputs.frequency * greatest(cast(inputs.monetary_value as {{ double }}), 0))
                / (parameters.p * inputs.frequency + parameters.q - 1)
        end as expected_order_value
    from inputs
    cross join parameters
    inner join purchases_if_alive
        on
            inputs.frequency = purchases_if_alive.frequency
            and inputs.tenure_days = purchases_if_alive.tenure_days
),

with_p_alive as (
    select
        customer_key,
        frequency,
        recency_days,
        tenure_days,
        monetary_value,
        parameter_source,
        expected_purchases_if_alive,
        discounted_purchases_if_alive,
        expected_order_value,
        case
            when frequency = 0 then 1
            when log_odds_dropped_out > {{ max_exp_argument }} then 0
            when log_odds_dropped_out < -{{ max_exp_argument }} then 1
            else 1 / (1 + exp(log_odds_dropped_out))
        end as p_alive
    from scored
),

predictions as (
    select
        customer_key,
        frequency,
        recency_days,
        tenure_days,
        monetary_value,
        parameter_source,
        -- 12 decimals: identical digits on every engine
        cast(cast(p_alive as decimal(38, 12)) as {{ double }}) as p_alive,
        cast(cast(p_alive * expected_purchases_if_alive as decimal(38, 12)) as {{ double }}) as expected_purchases,
        cast(expected_order_value as {{ money }}) as expected_order_value,
        cast(p_alive * expected_purchases_if_alive * expected_order_value as {{ money }}) as expected_spend,
        cast(p_alive * discounted_purchases_if_alive * expected_order_value as {{ money }}) as predicted_clv
    from with_p_alive
),

final as (
    select
        customers.customer_key,
        as_of.as_of_date,
        cast(predictions.customer_key is null as {{ dbt.type_boolean() }}) as is_prospect,
        cast(predictions.frequency as {{ dbt.type_bigint() }}) as frequency,
        cast(predictions.recency_days as {{ dbt.type_bigint() }}) as recency_days,
        cast(predictions.tenure_days as {{ dbt.type_bigint() }}) as tenure_days,
        cast(predictions.monetary_value as {{ money }}) as monetary_value,
        cast({{ horizon_days }} as {{ dbt.type_bigint() }}) as horizon_days,
        cast(predictions.p_alive as {{ double }}) as p_alive,
        cast(predictions.expected_purchases as {{ double }}) as expected_purchases,
        cast(predictions.expected_order_value as {{ money }}) as expected_order_value,
        cast(predictions.expected_spend as {{ money }}) as expected_spend,
        cast(predictions.predicted_clv as {{ money }}) as predicted_clv,
        cast(predictions.parameter_source as {{ dbt.type_string() }}) as parameter_source
    from customers
    cross join as_of
    left join predictions
        on customers.customer_key = predictions.customer_key
)

select * from final
