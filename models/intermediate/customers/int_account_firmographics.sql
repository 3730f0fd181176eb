-- One row per CRM account (stg_crm__accounts): who the company is - name, industry, size and revenue
-- bands, country. The account side of the customer layer; account_features adds its technology stack
-- and its people's activity.
with

accounts as (
    select
        account_id,
        account_name,
        industry,
        employee_band,
        revenue_band,
        country_code
    from {{ ref('stg_crm__accounts') }}
),

final as (
    select
        account_id,
        account_name,
        industry,
        employee_band,
        revenue_band,
        country_code
    from accounts
)

select * from final
