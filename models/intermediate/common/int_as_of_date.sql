-- The as-of date every time window and score is measured from: var as_of_date, or else the latest
-- day with usable business activity (quarantined rows, e.g. planted future timestamps, never count).
{%- set literal = as_of_date_literal() %}
with

orders as (
    select max(order_date) as latest_date
    from {{ ref('stg_shopify__orders') }}
),

events as (
    select max(event_date) as latest_date
    from {{ ref('stg_ga4__events') }}
),

latest as (
    select max(latest_date) as latest_date
    from (
        select latest_date from orders
        union all
        select latest_date from events
    ) as candidates
),

final as (
    select
        {%- if literal is none %}
            latest_date as as_of_date,
            'data' as as_of_date_source
        {%- else %}
            {{ literal }} as as_of_date,
            'var' as as_of_date_source
        {%- endif %}
    from latest
)

select * from final
