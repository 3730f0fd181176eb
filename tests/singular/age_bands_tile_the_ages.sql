-- Seed age_bands must tile the ages from var min_customer_age_years up: the first band starts at or
-- below it, each starts the year after the previous ends, none is empty, and only the last is open.
{%- set min_age_years = checked_var('min_customer_age_years') %}
with

bands as (
    select
        age_band,
        min_age_years,
        max_age_years,
        lag(max_age_years) over (order by min_age_years, age_band) as previous_max_age_years,
        row_number() over (order by min_age_years, age_band) as band_number,
        count(*) over () as n_bands
    from {{ ref('age_bands') }}
),

problems as (
    select
        age_band,
        'band is empty: max_age_years < min_age_years' as problem
    from bands
    where max_age_years < min_age_years
    union all
    select
        age_band,
        'first band must start at or below var min_customer_age_years ({{ min_age_years }})' as problem
    from bands
    where band_number = 1 and min_age_years > {{ min_age_years }}
    union all
    select
        age_band,
        'gap or overlap with the previous band' as problem
    from bands
    where band_number > 1 and (previous_max_age_years is null or min_age_years <> previous_max_age_years + 1)
    union all
    select
        age_band,
        'only the last band may be open (blank max_age_years), and it must be' as problem
    from bands
    where (band_number < n_bands) = (max_age_years is null)
)

select * from problems
