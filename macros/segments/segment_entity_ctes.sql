{#- segment_entity_ctes(entity, compiled): the CTEs (each followed by a comma) that evaluate every
    segment of one entity (compiled = segment_compile()), ending in <entity>_members (entity_key,
    segment_key, reason): the population, one import per feature mart the rules read, the event
    counts the entity's rules read (from segment_event_ctes, per person; an account sums its
    people's), the traits relation (one row per entity), and a cross join with the numbered segment
    keys keeping the pairs whose rule holds, the reason computed for members only. Needs the CTEs
    as_of and segment_event_ctes. An entity without segments gets an empty <entity>_members. -#}
{% macro segment_entity_ctes(entity, compiled) -%}
    {%- set config = segment_entities()[entity] -%}
    {%- set segments = compiled.definitions | selectattr('entity', 'equalto', entity) | list -%}
    {%- set feature_models = {} -%}
    {%- for name, feature in compiled.features.items() if feature.entity == entity -%}
        {%- do feature_models.setdefault(feature.model, []).append((feature.column, name)) -%}
    {%- endfor -%}
    {%- set counts = [] -%}
    {%- for count in compiled.event_counts if entity in count.entities -%}
        {%- do counts.append(count) -%}
    {%- endfor -%}
    {%- set relations = counts | map(attribute='relation') | unique | sort | list -%}
    {%- if not segments %}
{{ entity }}_members as (
    select
        cast(null as {{ dbt.type_string() }}) as entity_key,
        cast(null as {{ dbt.type_string() }}) as segment_key,
        cast(null as {{ dbt.type_string() }}) as reason
    from as_of
    where 1 = 0
),
    {%- else %}
{{ entity }}_population as (
    {{ config.population }}
),
{%- for model, columns in feature_models.items() | sort %}

{{ entity }}_features_from_{{ model }} as (
    select
        {%- for column, name in columns | sort %}
        {{ column }} as {{ name }},
        {%- endfor %}
        {{ config.feature_key }} as entity_key
    from {{ ref(model) }}
),
{%- endfor %}
{%- if config.event_people and counts %}

{{ entity }}_event_people as (
    {{ config.event_people }}
),

-- an event belongs to one person: the entity's count is the sum of its people's
{{ entity }}_events as (
    select
        {%- for count in counts %}
        cast(sum(coalesce({{ count.relation }}.{{ count.alias }}, 0)) as {{ dbt.type_bigint() }}) as {{ count.alias }},
        {%- endfor %}
        event_people.entity_key
    from {{ entity }}_event_people as event_people
    {%- for relation in relations %}
    left join {{ relation }}
        on event_people.customer_key = {{ relation }}.customer_key
    {%- endfor %}
    group by event_people.entity_key
),
{%- endif %}

{{ entity }}_traits as (
    select
        {%- for model, columns in feature_models.items() | sort %}
        {%- for column, name in columns | sort %}
        {{ entity }}_features_from_{{ model }}.{{ name }},
        {%- endfor %}
        {%- endfor %}
        {%- for count in counts %}
        coalesce({{ entity ~ '_events' if config.event_people else count.relation }}.{{ count.alias }}, 0)
            as {{ count.alias }},
        {%- endfor %}
        population.entity_key
    from {{ entity }}_population as population
    {%- for model in feature_models.keys() | sort %}
    left join {{ entity }}_features_from_{{ model }}
        on population.entity_key = {{ entity }}_features_from_{{ model }}.entity_key
    {%- endfor %}
    {%- if config.event_people and counts %}
    left join {{ entity }}_events
        on population.entity_key = {{ entity }}_events.entity_key
    {%- elif counts %}
        {%- for relation in relations %}
    left join {{ relation }}
        on population.entity_key = {{ relation }}.customer_key
        {%- endfor %}
    {%- endif %}
),

{{ entity }}_segment_keys as (
    {%- for definition in segments %}
    select
        {{ loop.index }} as segment_number,
        {{ string_literal(definition.key) }} as segment_key{{ '' if loop.last else ' union all' }}
    {%- endfor %}
),

-- one row per member: each entity meets each numbered segment once, the case keeps the rules that hold
{{ entity }}_members as (
    select
        traits.entity_key,
        segment_keys.segment_key,
        case segment_keys.segment_number
            {%- for definition in segments %}
            when {{ loop.index }} then {{ compiled.reasons[definition.key] }}
            {%- endfor %}
        end as reason
    from {{ entity }}_traits as traits
    cross join {{ entity }}_segment_keys as segment_keys
    where
        case segment_keys.segment_number
            {%- for definition in segments %}
            when {{ loop.index }} then {{ compiled.sql[definition.key] }}
            {%- endfor %}
        end
),
    {%- endif %}
{%- endmacro %}
