-- The as-of date every time window and score is measured from: var as_of_date, or else the latest
-- day with usable business activity (quarantined rows, e.g. planted future timestamps, never count).
-- A var outside the data's span stops the run with a message: from the first usable day to the latest
-- plus future_timestamp_tolerance_days (an extract is often taken the day after its last order).
{%- set literal = as_of_date_literal() %}
{%- if literal is not none and execute %}
    {%- set span = run_query(
        "select min(first_date), max(latest_date), "
        ~ dbt.dateadd('day', checked_var('future_timestamp_tolerance_days'), 'max(latest_date)') ~ " from ("
        ~ " select min(order_date) as first_date, max(order_date) as latest_date from " ~ ref('stg_shopify__orders')
        ~ " union all"
        ~ " select min(event_date), max(event_date) from " ~ ref('stg_ga4__events')
        ~ ") as spans"
    ).rows[0] %}
    {%- set as_of = var('as_of_date') | string | trim %}
    {%- if span[0] is none %}
        {{ exceptions.raise_compiler_error("var as_of_date is " ~ as_of ~ ", but there is no usable order or web event to score (see staging.quarantine_rows).") }}
    {%- elif as_of < span[0] | string or as_of > (span[2] | string)[:10] %}
        {{ exceptions.raise_compiler_error("var as_of_date " ~ as_of ~ " is outside the data's span: usable orders and web events run from " ~ span[0] ~ " to " ~ span[1] ~ " (plus future_timestamp_tolerance_days). Pick a date inside it, or leave the var unset to use " ~ span[1] ~ ".") }}
    {%- endif %}
{%- endif %}
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
