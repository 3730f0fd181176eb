-- The segment vocabulary seeds and the tables agree: every column seed segment_event_types names (id,
-- date, match) and every property column of seed segment_event_properties exists in its source
-- model, and every source model has a customer_key. One row per problem.
-- depends_on: {{ ref('int_web_events_resolved') }} {{ ref('fct_orders') }} {{ ref('fct_order_lines') }}
-- depends_on: {{ ref('int_email_events_resolved') }} {{ ref('int_support_tickets_resolved') }}
{%- set models = ['int_web_events_resolved', 'fct_orders', 'fct_order_lines', 'int_email_events_resolved',
    'int_support_tickets_resolved'] %}
with

built_columns as (
    {{ built_columns_sql(models) }}
),

events as (
    select
        event_name,
        source_model,
        id_column,
        date_column,
        match_column
    from {{ ref('segment_event_types') }}
),

named_columns as (
    select
        'event ' || event_name as entry,
        source_model,
        id_column as column_name
    from events
    union all
    select
        'event ' || event_name as entry,
        source_model,
        date_column as column_name
    from events
    union all
    select
        'event ' || event_name as entry,
        source_model,
        match_column as column_name
    from events
    where match_column is not null
    union all
    select
        'event ' || event_name as entry,
        source_model,
        'customer_key' as column_name
    from events
    union all
    select
        'property ' || property as entry,
        source_model,
        column_name
    from {{ ref('segment_event_properties') }}
),

final as (
    select
        named_columns.entry,
        named_columns.source_model,
        named_columns.column_name,
        'the source model has no such column' as problem
    from named_columns
    left join built_columns
        on
            named_columns.source_model = built_columns.model_name
            and named_columns.column_name = built_columns.column_name
    where built_columns.column_name is null
)

select * from final
