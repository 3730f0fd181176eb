-- One row per CRM account (int_account_firmographics) at the as-of date: firmographics, the
-- technology stack in use (int_account_technographics), its people's activity rolled up
-- (customer_features of the people whose golden record names the account, test accounts left out)
-- and the buying stage that activity puts it in. What account (ABM) segments are written on.
{%- set technology_groups = fixed_key_var_items('customer_features_technology_categories') %}
{%- set expansion_min_orders = checked_var('account_expansion_min_orders') %}
{%- set expansion_min_buyers = checked_var('account_expansion_min_buying_contacts') %}
{%- set evaluation_min_sessions = checked_var('account_evaluation_min_sessions') %}

with

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

accounts as (
    select
        account_id,
        account_name,
        industry,
        employee_band,
        revenue_band,
        country_code
    from {{ ref('int_account_firmographics') }}
),

technographics as (
    select
        account_id,
        {%- for name, codes in technology_groups %}
            has_tech_{{ name }},
        {%- endfor %}
        n_technologies
    from {{ ref('int_account_technographics') }}
),

contacts as (
    select
        customer_key,
        account_id
    from {{ ref('dim_customers') }}
    where account_id is not null and not is_test_account
),

features as (
    select
        customer_key,
        n_orders,
        n_orders_in_extended_window,
        net_revenue_amount,
        net_revenue_amount_in_extended_window,
        n_sessions_in_long_window,
        days_since_last_order,
        days_since_last_session
    from {{ ref('customer_features') }}
),

activity as (
    select
        contacts.account_id,
        count(*) as n_contacts,
        sum(case when features.n_orders > 0 then 1 else 0 end) as n_buying_contacts,
        sum(case when features.n_orders_in_extended_window > 0 then 1 else 0 end) as n_recent_buying_contacts,
        sum(features.n_orders) as n_orders,
        sum(features.n_orders_in_extended_window) as n_orders_in_extended_window,
        sum(features.net_revenue_amount) as net_revenue_amount,
        sum(features.net_revenue_amount_in_extended_window) as net_revenue_amount_in_extended_window,
        sum(features.n_sessions_in_long_window) as n_sessions_in_long_window,
        min(features.days_since_last_order) as days_since_last_order,
        min(features.days_since_last_session) as days_since_last_session
    from contacts
    inner join features
        on contacts.customer_key = features.customer_key
    group by contacts.account_id
),

final as (
    select
        accounts.account_id,
        as_of.as_of_date,
        accounts.account_name,
        accounts.industry,
        accounts.employee_band,
        accounts.revenue_band,
        -- a string on every engine (Spark keeps the seed's varchar(2) in the column type)
        cast(accounts.country_code as {{ dbt.type_string() }}) as country_code,
        {%- for name, codes in technology_groups %}
            coalesce(technographics.has_tech_{{ name }}, false) as has_tech_{{ name }},
        {%- endfor %}
        cast(coalesce(technographics.n_technologies, 0) as {{ dbt.type_int() }}) as n_technologies,
        cast(coalesce(activity.n_contacts, 0) as {{ dbt.type_int() }}) as n_contacts,
        cast(coalesce(activity.n_buying_contacts, 0) as {{ dbt.type_int() }}) as n_buying_contacts,
        cast(coalesce(activity.n_orders, 0) as {{ dbt.type_int() }}) as n_orders,
        cast(coalesce(activity.n_orders_in_extended_window, 0) as {{ dbt.type_int() }})
            as n_orders_in_extended_window,
        cast(coalesce(activity.net_revenue_amount, 0) as {{ money_type() }}) as net_revenue_amount,
        cast(coalesce(activity.net_revenue_amount_in_extended_window, 0) as {{ money_type() }})
            as net_revenue_amount_in_extended_window,
        cast(coalesce(activity.n_sessions_in_long_window, 0) as {{ dbt.type_int() }}) as n_sessions_in_long_window,
        cast(activity.days_since_last_order as {{ dbt.type_int() }}) as days_since_last_order,
        cast(activity.days_since_last_session as {{ dbt.type_int() }}) as days_since_last_session,
        -- the furthest stage its people's activity reaches (vars account_*; docs in the yml)
        case
            when
                coalesce(activity.n_orders_in_extended_window, 0) >= {{ expansion_min_orders }}
                and coalesce(activity.n_recent_buying_contacts, 0) >= {{ expansion_min_buyers }}
                then 'expansion'
            when coalesce(activity.n_orders_in_extended_window, 0) > 0 then 'purchase'
            when coalesce(activity.n_sessions_in_long_window, 0) >= {{ evaluation_min_sessions }} then 'evaluation'
            when coalesce(activity.n_sessions_in_long_window, 0) > 0 then 'awareness'
            else 'unengaged'
        end as buying_stage
    from accounts
    cross join as_of
    left join technographics
        on accounts.account_id = technographics.account_id
    left join activity
        on accounts.account_id = activity.account_id
)

select * from final
