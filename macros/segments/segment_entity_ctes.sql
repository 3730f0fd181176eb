{#- segment_entity_ctes(entity, compiled): the CTEs (each followed by a comma) that evaluate every
    segment of one entity (compiled = segment_compile()), ending in <entity>_members (entity_key,
    segment_key, reason): the population, one import per feature mart the rules read, one aggregate
    per event source counting every event condition, the traits relation (one row per entity), one
    boolean and one reason per segment, and a cross join with the segment keys turning the booleans
    into rows. Needs a CTE as_of. An entity without segments gets an empty <entity>_members. -#}
{% macro segment_entity_ctes(entity, compiled) -%}
    {%- set config = segment_entities()[entity] -%}
    {%- set segments = compiled.definitions | selectattr('entity', 'equalto', entity) | list -%}
    {%- set feature_models = {} -%}
    {%- for name, feature in compiled.features.items() if feature.entity == entity -%}
        {%- do feature_models.setdefault(feature.model, []).append((feature.column, name)) -%}
    {%- endfor -%}
    {%- set event_sources = {} -%}
    {%- for count in compiled.event_counts if count.entity == entity -%}
        {%- do event_sources.setdefault(count.event.source_model, []).append(count) -%}
    {%- endfor -%}
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
{%- if config.event_people and event_sources %}

{{ entity }}_event_people as (
    {{ config.event_people }}
),
{%- endif %}
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
{%- for source_model, counts in event_sources.items() | sort %}

{{ entity }}_events_from_{{ source_model }} as (
    select
        {%- for count in counts %}
        {{ segment_event_count_sql(count) }} as {{ count.alias }},
        {%- endfor %}
        {{ 'event_people.entity_key' if config.event_people else 'source_rows.customer_key' }} as entity_key
    from {{ ref(source_model) }} as source_rows
    {%- if config.event_people %}
    inner join {{ entity }}_event_people as event_people
        on source_rows.customer_key = event_people.customer_key
    {%- endif %}
    cross join as_of
    where
        source_rows.customer_key is not null
        and source_rows.{{ counts[0].event.date_column }} <= as_of.as_of_date
    group by {{ 'event_people.entity_key' if config.event_people else 'source_rows.customer_key' }}
),
{%- endfor %}

{{ entity }}_traits as (
    select
        {%- for model, columns in feature_models.items() | sort %}
        {%- for column, name in columns | sort %}
        {{ entity }}_features_from_{{ model }}.{{ name }},
        {%- endfor %}
        {%- endfor %}
        {%- for source_model, counts in event_sources.items() | sort %}
        {%- for count in counts %}
        coalesce({{ entity }}_events_from_{{ source_model }}.{{ count.alias }}, 0) as {{ count.alias }},
        {%- endfor %}
        {%- endfor %}
        population.entity_key
    from {{ entity }}_population as population
    {%- for model in feature_models.keys() | sort %}
    left join {{ entity }}_features_from_{{ model }}
        on population.entity_key = {{ entity }}_features_from_{{ model }}.entity_key
    {%- endfor %}
    {%- for source_model in event_sources.keys() | sort %}
    left join {{ entity }}_events_from_{{ source_model }}
        on population.entity_key = {{ entity }}_events_from_{{ source_model }}.entity_key
    {%- endfor %}
),

{{ entity }}_evaluated as (
    select
        {%- for definition in segments %}
        {{ compiled.sql[definition.key] }} as is_in_{{ definition.key }},
        {{ compiled.reasons[definition.key] }} as reason_{{ definition.key }},
        {%- endfor %}
        traits.entity_key
    from {{ entity }}_traits as traits
),

{{ entity }}_segment_keys as (
    {%- for definition in segments %}
    select {{ string_literal(definition.key) }} as segment_key{{ '' if loop.last else ' union all' }}
    {%- endfor %}
),

-- one row per member: each entity meets each segment key once, the case keeps the rules that hold
{{ entity }}_members as (
    select
        evaluated.entity_key,
        segment_keys.segment_key,
        case segment_keys.segment_key
            {%- for definition in segments %}
            when {{ string_literal(definition.key) }} then evaluated.reason_{{ definition.key }}
            {%- endfor %}
        end as reason
    from {{ entity }}_evaluated as evaluated
    cross join {{ entity }}_segment_keys as segment_keys
    where
        case segment_keys.segment_key
            {%- for definition in segments %}
            when {{ string_literal(definition.key) }} then evaluated.is_in_{{ definition.key }}
            {%- endfor %}
        end
),
    {%- endif %}
{%- endmacro %}
