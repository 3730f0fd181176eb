-- One row per entity and segment it belongs to at the as-of date, with the reason: the feature
-- values and event counts its rule read. The rules of models/marts/segments/_segment_definitions.yml
-- compile into this model (macro segment_compile): features come from the catalog's marts, event
-- conditions become counts over the event facts (seed segment_events), one aggregate per source.
-- depends_on: {{ ref('feature_catalog') }} {{ ref('segment_events') }} {{ ref('segment_event_properties') }}
-- depends_on: {{ ref('customer_features') }} {{ ref('customer_rfm') }} {{ ref('customer_lifecycle') }}
-- depends_on: {{ ref('customer_value') }} {{ ref('customer_clv') }} {{ ref('customer_churn_risk') }}
-- depends_on: {{ ref('int_web_events_resolved') }} {{ ref('fct_orders') }} {{ ref('fct_order_lines') }}
-- depends_on: {{ ref('int_email_events_resolved') }} {{ ref('int_support_tickets_resolved') }}
{%- set compiled = segment_compile() %}
{%- set customer_segments = compiled.definitions | selectattr('entity', 'equalto', 'customer') | list %}
{%- set feature_models = {} %}
{%- for name, feature in compiled.features.items() %}
    {%- do feature_models.setdefault(feature.model, []).append((feature.column, name)) %}
{%- endfor %}
{%- set event_sources = {} %}
{%- for count in compiled.event_counts %}
    {%- do event_sources.setdefault(count.event.source_model, []).append(count) %}
{%- endfor %}

with

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

-- everyone segments describe: resolved people, staff (test accounts) left out
population as (
    select customer_key
    from {{ ref('dim_customers') }}
    where not is_test_account
),
{% for model, columns in feature_models.items() | sort %}
    features_from_{{ model }} as (
        select
            {%- for column, name in columns | sort %}
                {{ column }} as {{ name }},
            {%- endfor %}
            customer_key
        from {{ ref(model) }}
    ),
{% endfor %}
{%- for source_model, counts in event_sources.items() | sort %}
    events_from_{{ source_model }} as (
        select
            {%- for count in counts %}
                {{ segment_event_count_sql(count) }} as {{ count.alias }},
            {%- endfor %}
            source_rows.customer_key
        from {{ ref(source_model) }} as source_rows
        cross join as_of
        where
            source_rows.customer_key is not null
            and source_rows.{{ counts[0].event.date_column }} <= as_of.as_of_date
        group by source_rows.customer_key
    ),
{% endfor %}
traits as (
    select
        {%- for model, columns in feature_models.items() | sort %}
            {%- for column, name in columns | sort %}
                features_from_{{ model }}.{{ name }},
            {%- endfor %}
        {%- endfor %}
        {%- for source_model, counts in event_sources.items() | sort %}
            {%- for count in counts %}
                coalesce(events_from_{{ source_model }}.{{ count.alias }}, 0) as {{ count.alias }},
            {%- endfor %}
        {%- endfor %}
        population.customer_key
    from population
    {%- for model in feature_models.keys() | sort %}
    left join features_from_{{ model }}
        on population.customer_key = features_from_{{ model }}.customer_key
    {%- endfor %}
    {%- for source_model in event_sources.keys() | sort %}
        left join events_from_{{ source_model }}
            on population.customer_key = events_from_{{ source_model }}.customer_key
    {%- endfor %}
),

evaluated as (
    select
        {%- for definition in customer_segments %}
            {{ compiled.sql[definition.key] }} as is_in_{{ definition.key }},
            {{ compiled.reasons[definition.key] }} as reason_{{ definition.key }},
        {%- endfor %}
        traits.customer_key
    from traits
),

segment_keys as (
    {%- for definition in customer_segments %}
        select {{ string_literal(definition.key) }} as segment_key
        {{- '' if loop.last else ' union all' }}
    {%- endfor %}
),

-- one row per member: a customer meets each segment's key once (cross join), the case keeps the
-- segments whose rule holds
members as (
    select
        evaluated.customer_key,
        segment_keys.segment_key,
        case segment_keys.segment_key
            {%- for definition in customer_segments %}
                when {{ string_literal(definition.key) }} then evaluated.reason_{{ definition.key }}
            {%- endfor %}
        end as reason
    from evaluated
    cross join segment_keys
    where
        case segment_keys.segment_key
            {%- for definition in customer_segments %}
                when {{ string_literal(definition.key) }} then evaluated.is_in_{{ definition.key }}
            {%- endfor %}
        end
),

final as (
    select
        as_of.as_of_date,
        'customer' as entity_type,
        members.customer_key as entity_key,
        members.segment_key,
        members.reason
    from members
    cross join as_of
)

select * from final
