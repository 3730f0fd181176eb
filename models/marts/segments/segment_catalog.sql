-- One row per segment definition with its persona (seed segment_personas), its number of offers
-- (seed segment_offers) and its current size: members at the as-of date and their share of the
-- entity's population (customers without test accounts, or CRM accounts), and whether the segment is
-- under its minimum size or over its maximum share. What a marketer browses before picking an audience.
with

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

definitions as (
    select
        segment_key,
        segment_name,
        family,
        entity_type,
        is_primary,
        priority,
        min_size,
        max_share,
        owner,
        definition_version,
        description,
        rule_json
    from {{ ref('segment_definitions') }}
),

personas as (
    select
        segment_key,
        persona_name,
        summary,
        pain_points,
        preferred_channel,
        message_theme
    from {{ ref('segment_personas') }}
),

offers as (
    select
        segment_key,
        count(*) as n_offers
    from {{ ref('segment_offers') }}
    group by segment_key
),

sizes as (
    select
        segment_key,
        count(*) as n_members
    from {{ ref('segment_membership') }}
    group by segment_key
),

populations as (
    select
        'customer' as entity_type,
        count(*) as n_entities
    from {{ ref('dim_customers') }}
    where not is_test_account
    union all
    select
        'account' as entity_type,
        count(*) as n_entities
    from {{ ref('account_features') }}
),

final as (
    select
        definitions.segment_key,
        as_of.as_of_date,
        definitions.segment_name,
        definitions.family,
        definitions.entity_type,
        definitions.is_primary,
        definitions.priority,
        definitions.min_size,
        definitions.max_share,
        definitions.owner,
        definitions.definition_version,
        definitions.description,
        definitions.rule_json,
        -- strings on every engine (Spark keeps the seed's varchar(n) in the column type)
        cast(personas.persona_name as {{ dbt.type_string() }}) as persona_name,
        cast(personas.summary as {{ dbt.type_string() }}) as persona_summary,
        cast(personas.pain_points as {{ dbt.type_string() }}) as persona_pain_points,
        cast(personas.preferred_channel as {{ dbt.type_string() }}) as preferred_channel,
        cast(personas.message_theme as {{ dbt.type_string() }}) as message_theme,
        cast(coalesce(offers.n_offers, 0) as {{ dbt.type_int() }}) as n_offers,
        cast(coalesce(sizes.n_members, 0) as {{ dbt.type_int() }}) as n_members,
        -- rounded in decimal: PostgreSQL has no round(double precision, n); 0 for an empty population
        cast(coalesce(round(cast(
            cast(coalesce(sizes.n_members, 0) as {{ type_double() }}) / nullif(populations.n_entities, 0)
            as decimal(18, 12)
        ), 6), 0) as {{ type_double() }}) as member_share,
        coalesce(sizes.n_members, 0) < definitions.min_size as is_under_min_size,
        coalesce(cast(sizes.n_members as {{ type_double() }}) / nullif(populations.n_entities, 0), 0)
        > definitions.max_share as is_over_max_share
    from definitions
    cross join as_of
    left join personas
        on definitions.segment_key = personas.segment_key
    left join offers
        on definitions.segment_key = offers.segment_key
    left join sizes
        on definitions.segment_key = sizes.segment_key
    left join populations
        on definitions.entity_type = populations.entity_type
)

select * from final
