-- One row per customer (test accounts left out) at the as-of date: the primary segment, the member
-- segment of highest priority among those flagged is_primary, and for each family of var
-- segment_families the member segment of highest priority in that family. Priority 1 ranks first;
-- equal priorities are broken by segment_key.
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

membership as (
    select
        entity_key,
        segment_key
    from {{ ref('segment_membership') }}
    where entity_type = 'customer'
),

definitions as (
    select
        segment_key,
        segment_name,
        family,
        is_primary,
        priority
    from {{ ref('segment_definitions') }}
),

ranked as (
    select
        membership.entity_key as customer_key,
        membership.segment_key,
        definitions.segment_name,
        definitions.family,
        definitions.is_primary,
        row_number() over (
            partition by membership.entity_key, definitions.is_primary
            order by definitions.priority asc, membership.segment_key asc
        ) as primary_rank,
        row_number() over (
            partition by membership.entity_key, definitions.family
            order by definitions.priority asc, membership.segment_key asc
        ) as family_rank
    from membership
    inner join definitions
        on membership.segment_key = definitions.segment_key
),

per_customer as (
    select
        customer_key,
        max(case when is_primary and primary_rank = 1 then segment_key end) as primary_segment_key,
        max(case when is_primary and primary_rank = 1 then segment_name end) as primary_segment_name,
        {%- for family in families %}
            max(case when family = {{ string_literal(family) }} and family_rank = 1 then segment_key end)
                as {{ family }}_segment_key,
        {%- endfor %}
        count(*) as n_segments
    from ranked
    group by customer_key
),

final as (
    select
        as_of.as_of_date,
        population.customer_key,
        per_customer.primary_segment_key,
        per_customer.primary_segment_name,
        {%- for family in families %}
            per_customer.{{ family }}_segment_key,
        {%- endfor %}
        cast(coalesce(per_customer.n_segments, 0) as {{ dbt.type_int() }}) as n_segments
    from population
    cross join as_of
    left join per_customer
        on population.customer_key = per_customer.customer_key
)

select * from final
