-- One row per person of int_customer_spine with their demographic features from the golden record
-- (int_customer_golden_record, survivorship in decision 17): gender, age at the as-of date and its
-- band (seed age_bands), income band, job title and, for B2B people, their account's firmographics.
{%- set age_type = dbt.type_bigint() %}
with

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

customers as (
    select customer_key
    from {{ ref('int_customer_spine') }}
),

golden_record as (
    select
        customer_key,
        gender,
        birth_date,
        income_band,
        job_title,
        is_b2b,
        industry,
        employee_band,
        revenue_band
    from {{ ref('int_customer_golden_record') }}
),

age_bands as (
    -- the seed's varchar(32) as plain text, the type the contract of customer_features declares
    -- (Spark keeps a varchar's length in the column type)
    select
        cast(age_band as {{ dbt.type_string() }}) as age_band,
        min_age_years,
        max_age_years
    from {{ ref('age_bands') }}
),

-- completed years: yyyymmdd of the as-of date minus yyyymmdd of the birth date, in whole 10,000s
ages as (
    select
        golden_record.customer_key,
        cast(floor(
            (
                (extract(year from as_of.as_of_date) - extract(year from golden_record.birth_date)) * 10000
                + (extract(month from as_of.as_of_date) - extract(month from golden_record.birth_date)) * 100
                + (extract(day from as_of.as_of_date) - extract(day from golden_record.birth_date))
            ) / 10000.0
        ) as {{ age_type }}) as age_years
    from golden_record
    cross join as_of
    where golden_record.birth_date is not null
),

final as (
    select
        customers.customer_key,
        cast(as_of.as_of_date as date) as as_of_date,
        golden_record.gender,
        ages.age_years,
        age_bands.age_band,
        golden_record.income_band,
        golden_record.job_title,
        golden_record.is_b2b,
        golden_record.industry,
        golden_record.employee_band,
        golden_record.revenue_band
    from customers
    cross join as_of
    inner join golden_record
        on customers.customer_key = golden_record.customer_key
    left join ages
        on customers.customer_key = ages.customer_key
    left join age_bands
        on
            ages.age_years >= age_bands.min_age_years
            and (ages.age_years <= age_bands.max_age_years or age_bands.max_age_years is null)
)

select * from final
