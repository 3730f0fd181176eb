-- One row per person of int_customer_spine with their geographic features: where the golden record
-- (int_customer_golden_record) places them, the country's name (seed country_codes) and how many
-- distinct countries their counted orders dated on or before the as-of date shipped to.
{%- set count_type = dbt.type_bigint() %}
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
        country_code,
        region,
        city,
        postcode
    from {{ ref('int_customer_golden_record') }}
),

countries as (
    -- the seed's varchar as plain text, the type the contract of customer_features declares
    select
        country_code,
        cast(country_name as {{ dbt.type_string() }}) as country_name
    from {{ ref('country_codes') }}
),

shipping_countries as (
    select
        int_orders_resolved.customer_key,
        count(distinct int_orders_resolved.shipping_country_code) as n_shipping_countries
    from {{ ref('int_orders_resolved') }} as int_orders_resolved
    cross join as_of
    where
        int_orders_resolved.is_counted_order
        and int_orders_resolved.customer_key is not null
        and int_orders_resolved.order_date <= as_of.as_of_date
    group by int_orders_resolved.customer_key
),

final as (
    select
        customers.customer_key,
        cast(as_of.as_of_date as date) as as_of_date,
        golden_record.country_code,
        countries.country_name,
        golden_record.region,
        golden_record.city,
        golden_record.postcode,
        cast(coalesce(shipping_countries.n_shipping_countries, 0) as {{ count_type }}) as n_shipping_countries
    from customers
    cross join as_of
    inner join golden_record
        on customers.customer_key = golden_record.customer_key
    left join countries
        on golden_record.country_code = countries.country_code
    left join shipping_countries
        on customers.customer_key = shipping_countries.customer_key
)

select * from final
