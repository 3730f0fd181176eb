-- Amounts already in the base currency (var base_currency) need no rate: the rebased rates the
-- models join (macro fx_rates_to_base) must give the base currency exactly 1 on every date, from
-- 0001-01-01 to 9999-12-31, whether or not the fx_rates seed has a row for it. Days covered are
-- counted per range, so this relies on fx_rates_ranges_do_not_overlap (which checks these rates too).
{%- set first_day = "cast('0001-01-01' as date)" %}
{%- set last_day = "cast('9999-12-31' as date)" %}

with

fx_rates as (
    {{ fx_rates_to_base() }}
),

base_ranges as (
    select
        valid_from,
        valid_to,
        rate_to_base,
        {{ dbt.datediff('valid_from', 'valid_to', 'day') }}
        + 1 as n_days
    from fx_rates
    where currency_code = '{{ base_currency() }}'
),

coverage as (
    select
        min(valid_from) as first_valid_from,
        max(valid_to) as last_valid_to,
        sum(n_days) as n_days_covered,
        {{ dbt.datediff(first_day, last_day, 'day') }}
        + 1 as n_days_in_calendar
    from base_ranges
),

problems as (
    select
        valid_from,
        'rate is not 1' as problem
    from base_ranges
    where not coalesce(rate_to_base = 1, false)
    union all
    select
        first_valid_from as valid_from,
        'rates of 1 do not cover every day from 0001-01-01 to 9999-12-31' as problem
    from coverage
    where
        not coalesce(
            first_valid_from = {{ first_day }} and last_valid_to = {{ last_day }}
            and n_days_covered = n_days_in_calendar,
            false
        )
)

select * from problems
