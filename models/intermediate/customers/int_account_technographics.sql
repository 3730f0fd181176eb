-- One row per CRM account with a technology in use at the as-of date: detected by then and last
-- detected fewer than customer_features_technology_active_days days before it. A flag per group of
-- var customer_features_technology_categories (fixed names, each a list of category codes).
{%- set technology_active_days = checked_var('customer_features_technology_active_days') %}
{%- set technology_groups = fixed_key_var_items('customer_features_technology_categories') %}
with

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

account_technologies as (
    select
        account_id,
        technology,
        technology_category,
        cast(first_detected_at as date) as first_detected_date,
        cast(last_detected_at as date) as last_detected_date
    from {{ ref('stg_crm__account_technologies') }}
),

technologies_active as (
    {%- set days_since_detected = dbt.datediff('account_technologies.last_detected_date', 'as_of.as_of_date', 'day') %}
    select
        account_technologies.account_id,
        account_technologies.technology,
        account_technologies.technology_category
    from account_technologies
    cross join as_of
    where
        account_technologies.first_detected_date <= as_of.as_of_date
        and {{ days_since_detected }} < {{ technology_active_days }}
),

final as (
    select
        account_id,
        {%- for name, codes in technology_groups %}
            {%- set is_in_group = "technology_category in ('" ~ codes | join("', '") ~ "')" %}
            {{ dbt.bool_or(is_in_group) }} as has_tech_{{ name }},
        {%- endfor %}
        count(distinct technology) as n_technologies
    from technologies_active
    group by account_id
)

select * from final
