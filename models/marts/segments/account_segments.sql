-- One row per CRM account at the as-of date: its buying stage (account_features), the primary
-- account segment, the member segment of highest priority among the account segments flagged
-- is_primary, and for each family of var segment_families the account segment of highest priority
-- in that family. Ranked as customer_segments ranks customers (macro segment_assignment_ctes).
{%- set families = checked_var('segment_families') %}

with

accounts as (
    select
        account_id,
        as_of_date,
        account_name,
        buying_stage
    from {{ ref('account_features') }}
),

{{ segment_assignment_ctes('account') }}

final as (
    select
        accounts.as_of_date,
        accounts.account_id,
        accounts.account_name,
        accounts.buying_stage,
        per_entity.primary_segment_key,
        per_entity.primary_segment_name,
        {%- for family in families %}
            per_entity.{{ family }}_segment_key,
        {%- endfor %}
        cast(coalesce(per_entity.n_segments, 0) as {{ dbt.type_int() }}) as n_segments
    from accounts
    left join per_entity
        on accounts.account_id = per_entity.entity_key
)

select * from final
