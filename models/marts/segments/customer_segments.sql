-- One row per customer (test accounts left out) at the as-of date: the primary segment, the member
-- segment of highest priority among those flagged is_primary, and for each family of var
-- segment_families the member segment of highest priority in that family. Priority 1 ranks first;
-- equal priorities are broken by segment_key (macro segment_assignment_ctes).
{%- set families = checked_var('segment_families') %}

with

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

population as (
    select customer_key
    from {{ ref('dim_customers') }}
    where not is_test_account
),

{{ segment_assignment_ctes('customer') }}

final as (
    select
        as_of.as_of_date,
        population.customer_key,
        per_entity.primary_segment_key,
        per_entity.primary_segment_name,
        {%- for family in families %}
            per_entity.{{ family }}_segment_key,
        {%- endfor %}
        cast(coalesce(per_entity.n_segments, 0) as {{ dbt.type_int() }}) as n_segments
    from population
    cross join as_of
    left join per_entity
        on population.customer_key = per_entity.entity_key
)

select * from final
