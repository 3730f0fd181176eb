-- One row per experiment, segment and variant: units exposed (crossovers left out), converted,
-- conversion rate, revenue per exposed unit, and for each variant other than the control (var
-- experiment_control_variant) its absolute and relative lift with two-sided intervals (normal
-- approximation, var experiment_confidence_z), the pooled two-proportion z-test, its p-value adjusted
-- across every test of the experiment and variant, the segments and 'all' (Benjamini-Hochberg), and
-- the segment's sample-ratio check (chi-square against an equal split of the experiment's variants).
-- segment_key 'all' holds every unit. Statistics: decision 60.
{%- set control = checked_var('experiment_control_variant') %}
{%- set z_interval = checked_var('experiment_confidence_z') %}
{%- set alpha = checked_var('experiment_alpha') %}
{%- set srm_alpha = checked_var('experiment_srm_alpha') %}

with

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

exposures as (
    select
        experiment_id,
        segment_key,
        variant,
        is_converted,
        net_revenue_amount_in_window
    from {{ ref('experiment_exposures') }}
    where not is_crossover
),

exposures_with_all as (
    select
        experiment_id,
        segment_key,
        variant,
        is_converted,
        net_revenue_amount_in_window
    from exposures
    union all
    select
        experiment_id,
        'all' as segment_key,
        variant,
        is_converted,
        net_revenue_amount_in_window
    from exposures
),

-- every variant of the experiment in every segment it reached, exposed or not
variants as (
    select distinct
        experiment_id,
        variant
    from exposures
),

n_variants as (
    select
        experiment_id,
        count(*) as n_variants
    from variants
    group by experiment_id
),

segments as (
    select distinct
        experiment_id,
        segment_key
    from exposures_with_all
),

counts as (
    select
        experiment_id,
        segment_key,
        variant,
        count(*) as n_exposed,
        sum(case when is_converted then 1 else 0 end) as n_converted,
        sum(net_revenue_amount_in_window) as net_revenue_amount
    from exposures_with_all
    group by experiment_id, segment_key, variant
),

grid as (
    select
        segments.experiment_id,
        segments.segment_key,
        variants.variant,
        cast(coalesce(counts.n_exposed, 0) as {{ dbt.type_bigint() }}) as n_exposed,
        cast(coalesce(counts.n_converted, 0) as {{ dbt.type_bigint() }}) as n_converted,
        coalesce(counts.net_revenue_amount, 0) as net_revenue_amount
    from segments
    inner join variants
        on segments.experiment_id = variants.experiment_id
    left join counts
        on
            segments.experiment_id = counts.experiment_id
            and segments.segment_key = counts.segment_key
            and variants.variant = counts.variant
),

expected_counts as (
    select
        grid.experiment_id,
        grid.segment_key,
        max(n_variants.n_variants) as n_variants,
        cast(sum(grid.n_exposed) as {{ type_double() }}) / max(n_variants.n_variants) as expected
    from grid
    inner join n_variants
        on grid.experiment_id = n_variants.experiment_id
    group by grid.experiment_id, grid.segment_key
),

-- sample ratio: chi-square of the segment's variant counts against an equal split
sample_ratio as (
    select
        grid.experiment_id,
        grid.segment_key,
        max(expected_counts.n_variants) as n_variants,
        sum(
            (grid.n_exposed - expected_counts.expected) * (grid.n_exposed - expected_counts.expected)
            / expected_counts.expected
        ) as chi_square
    from grid
    inner join expected_counts
        on
            grid.experiment_id = expected_counts.experiment_id
            and grid.segment_key = expected_counts.segment_key
    group by grid.experiment_id, grid.segment_key
),

-- its p-value once: the flag and the rounded column both read it
sample_ratio_tests as (
    select
        experiment_id,
        segment_key,
        chi_square,
        {{ chi_square_upper_tail('chi_square', '(n_variants - 1)') }} as p_value
    from sample_ratio
),

rates as (
    select
        experiment_id,
        segment_key,
        variant,
        n_exposed,
        n_converted,
        net_revenue_amount,
        case
            when n_exposed > 0 then cast(n_converted as {{ type_double() }}) / n_exposed
        end as conversion_rate
    from grid
),

-- each rate's variance p (1 - p) / n, for the intervals
variances as (
    select
        experiment_id,
        segment_key,
        variant,
        n_exposed,
        n_converted,
        conversion_rate,
        conversion_rate * (1 - conversion_rate) / n_exposed as rate_variance
    from rates
    where n_exposed > 0
),

versus_control as (
    select
        treatment.experiment_id,
        treatment.segment_key,
        treatment.variant,
        treatment.conversion_rate as treatment_rate,
        control.conversion_rate as control_rate,
        treatment.rate_variance as treatment_variance,
        control.rate_variance as control_variance,
        cast(treatment.n_converted + control.n_converted as {{ type_double() }})
        / (treatment.n_exposed + control.n_exposed) as pooled_rate,
        cast(1 as {{ type_double() }}) / treatment.n_exposed + cast(1 as {{ type_double() }}) / control.n_exposed
            as inverse_sizes
    from variances as treatment
    inner join variances as control
        on
            treatment.experiment_id = control.experiment_id
            and treatment.segment_key = control.segment_key
            and control.variant = {{ string_literal(control) }}
    where treatment.variant != {{ string_literal(control) }}
),

z_tests as (
    select
        experiment_id,
        segment_key,
        variant,
        treatment_rate - control_rate as absolute_lift,
        sqrt(treatment_variance + control_variance) as absolute_lift_se,
        case
            when control_rate > 0 then treatment_rate / control_rate - 1
        end as relative_lift,
        -- delta method for a ratio of independent rates: Var(t / c) = Var(t) / c^2 + t^2 Var(c) / c^4
        case
            when control_rate > 0
                then sqrt(
                        treatment_variance / (control_rate * control_rate)
                        + treatment_rate * treatment_rate * control_variance
                        / (control_rate * control_rate * control_rate * control_rate)
                    )
        end as relative_lift_se,
        case
            when pooled_rate > 0 and pooled_rate < 1
                then (treatment_rate - control_rate) / sqrt(pooled_rate * (1 - pooled_rate) * inverse_sizes)
        end as z_score
    from versus_control
),

p_values as (
    select
        experiment_id,
        segment_key,
        variant,
        absolute_lift,
        absolute_lift_se,
        relative_lift,
        relative_lift_se,
        z_score,
        2 * {{ normal_upper_tail('abs(z_score)') }} as p_value
    from z_tests
),

-- Benjamini-Hochberg over the tests of one experiment and variant (its segments and 'all', one
-- family: every test the readout reports): p(i) * m / i, then the smallest of those at rank i or
-- above (ranks by p-value, ties by segment_key), capped at 1
ranked_tests as (
    select
        experiment_id,
        segment_key,
        variant,
        p_value,
        row_number() over (
            partition by experiment_id, variant order by p_value asc, segment_key asc
        ) as p_rank,
        count(*) over (partition by experiment_id, variant) as n_tests
    from p_values
    where p_value is not null
),

bh_adjusted as (
    select
        experiment_id,
        segment_key,
        variant,
        min(p_value * n_tests / p_rank) over (
            partition by experiment_id, variant order by p_rank desc
            rows between unbounded preceding and current row
        ) as p_value_adjusted
    from ranked_tests
),

adjusted as (
    select
        experiment_id,
        segment_key,
        variant,
        case when p_value_adjusted > 1 then 1.0 else p_value_adjusted end as p_value_adjusted
    from bh_adjusted
),

final as (
    select
        as_of.as_of_date,
        rates.experiment_id,
        rates.segment_key,
        rates.variant,
        rates.variant = {{ string_literal(control) }} as is_control,
        rates.n_exposed,
        rates.n_converted,
        {{ round_double('rates.conversion_rate', 6) }} as conversion_rate,
        cast(rates.net_revenue_amount as {{ money_type(wide=true) }}) as net_revenue_amount,
        cast({{ money_per('rates.net_revenue_amount', 'rates.n_exposed') }} as {{ money_type() }})
            as revenue_per_exposed_amount,
        {{ round_double('p_values.absolute_lift', 6) }} as absolute_lift,
        {{ round_double('p_values.absolute_lift - ' ~ z_interval ~ ' * p_values.absolute_lift_se', 6) }}
            as absolute_lift_ci_low,
        {{ round_double('p_values.absolute_lift + ' ~ z_interval ~ ' * p_values.absolute_lift_se', 6) }}
            as absolute_lift_ci_high,
        {{ round_double('p_values.relative_lift', 6) }} as relative_lift,
        {{ round_double('p_values.relative_lift - ' ~ z_interval ~ ' * p_values.relative_lift_se', 6) }}
            as relative_lift_ci_low,
        {{ round_double('p_values.relative_lift + ' ~ z_interval ~ ' * p_values.relative_lift_se', 6) }}
            as relative_lift_ci_high,
        {{ round_double('p_values.z_score', 6) }} as z_score,
        {{ round_double('p_values.p_value', 6) }} as p_value,
        {{ round_double('adjusted.p_value_adjusted', 6) }} as p_value_adjusted,
        coalesce(adjusted.p_value_adjusted < {{ alpha }}, false) as is_significant,
        {{ round_double('sample_ratio_tests.chi_square', 6) }} as sample_ratio_chi_square,
        {{ round_double('sample_ratio_tests.p_value', 6) }} as sample_ratio_p_value,
        sample_ratio_tests.p_value < {{ srm_alpha }} as is_sample_ratio_mismatch
    from rates
    cross join as_of
    inner join sample_ratio_tests
        on
            rates.experiment_id = sample_ratio_tests.experiment_id
            and rates.segment_key = sample_ratio_tests.segment_key
    left join p_values
        on
            rates.experiment_id = p_values.experiment_id
            and rates.segment_key = p_values.segment_key
            and rates.variant = p_values.variant
    left join adjusted
        on
            rates.experiment_id = adjusted.experiment_id
            and rates.segment_key = adjusted.segment_key
            and rates.variant = adjusted.variant
)

select * from final
