-- One row per person of int_customer_spine with their technographic features: devices and browsers
-- of their non-bot sessions up to the as-of date, and the technology stack of their B2B account
-- (int_account_technographics, through the golden record's account_id).
{%- set technology_groups = fixed_key_var_items('customer_features_technology_categories') %}
{%- set count_type = dbt.type_bigint() %}
{%- set rate_type = type_double() %}
with

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

customers as (
    select customer_key
    from {{ ref('int_customer_spine') }}
),

sessions as (
    select
        customer_key,
        user_pseudo_id,
        session_date,
        device_category,
        device_browser
    from {{ ref('int_sessions_resolved') }}
    where not is_bot and customer_key is not null
),

-- sessions up to the as-of date
sessions_dated as (
    select sessions.*
    from sessions
    cross join as_of
    where sessions.session_date <= as_of.as_of_date
),

session_features as (
    select
        customer_key,
        count(*) as n_sessions,
        count(case when device_category = 'mobile' then customer_key end) as n_mobile_sessions,
        count(distinct user_pseudo_id) as n_devices
    from sessions_dated
    group by customer_key
),

-- devices: one pass to the customer, device category and browser grain, then two small rankings
device_usage as (
    select
        customer_key,
        device_category,
        device_browser,
        count(*) as n_sessions
    from sessions_dated
    group by customer_key, device_category, device_browser
),

device_category_ranks as (
    select
        customer_key,
        device_category,
        row_number() over (
            partition by customer_key
            order by sum(n_sessions) desc, device_category asc
        ) as usage_rank
    from device_usage
    where device_category is not null
    group by customer_key, device_category
),

browser_ranks as (
    select
        customer_key,
        device_browser,
        row_number() over (
            partition by customer_key
            order by sum(n_sessions) desc, device_browser asc
        ) as usage_rank
    from device_usage
    where device_browser is not null
    group by customer_key, device_browser
),

accounts as (
    select
        customer_key,
        account_id
    from {{ ref('int_customer_golden_record') }}
),

technology_features as (
    select
        account_id,
        {%- for name, _ in technology_groups %}
            has_tech_{{ name }},
        {%- endfor %}
        n_technologies
    from {{ ref('int_account_technographics') }}
),

final as (
    select
        cast(customers.customer_key as {{ dbt.type_string() }}) as customer_key,
        cast(as_of.as_of_date as date) as as_of_date,
        cast(device_category_ranks.device_category as {{ dbt.type_string() }}) as primary_device_category,
        cast(browser_ranks.device_browser as {{ dbt.type_string() }}) as primary_browser,
        cast(
            cast(session_features.n_mobile_sessions as {{ rate_type }})
            / nullif(session_features.n_sessions, 0) as {{ rate_type }}
        ) as mobile_session_share,
        cast(coalesce(session_features.n_devices, 0) as {{ count_type }}) as n_devices,
        {%- for name, _ in technology_groups %}
            cast(
                coalesce(technology_features.has_tech_{{ name }}, false) as {{ dbt.type_boolean() }}
            ) as has_tech_{{ name }},
        {%- endfor %}
        cast(coalesce(technology_features.n_technologies, 0) as {{ count_type }}) as n_technologies
    from customers
    cross join as_of
    left join session_features
        on customers.customer_key = session_features.customer_key
    left join device_category_ranks
        on
            customers.customer_key = device_category_ranks.customer_key
            and device_category_ranks.usage_rank = 1
    left join browser_ranks
        on
            customers.customer_key = browser_ranks.customer_key
            and browser_ranks.usage_rank = 1
    left join accounts
        on customers.customer_key = accounts.customer_key
    left join technology_features
        on accounts.account_id = technology_features.account_id
)

select * from final
