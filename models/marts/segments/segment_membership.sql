-- One row per entity (customer or account) and segment it belongs to at the as-of date, with the
-- reason: the feature values, event counts and segments its rule read. The rules of
-- models/marts/segments/_segment_definitions.yml compile into this model (macro segment_compile);
-- macros segment_event_ctes and segment_entity_ctes write the evaluation (docs/segments.md, "How it compiles").
-- depends_on: {{ ref('feature_catalog') }} {{ ref('segment_event_types') }} {{ ref('segment_event_properties') }}
-- depends_on: {{ ref('customer_features') }} {{ ref('customer_rfm') }} {{ ref('customer_lifecycle') }}
-- depends_on: {{ ref('customer_value') }} {{ ref('customer_clv') }} {{ ref('customer_churn_risk') }}
-- depends_on: {{ ref('dim_customers') }} {{ ref('account_features') }}
-- depends_on: {{ ref('int_web_events_resolved') }} {{ ref('fct_orders') }} {{ ref('fct_order_lines') }}
-- depends_on: {{ ref('int_email_events_resolved') }} {{ ref('int_support_tickets_resolved') }}
{%- set compiled = segment_compile() %}

with

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

{{- segment_event_ctes(compiled) }}

{{ segment_entity_ctes('customer', compiled) }}

{{ segment_entity_ctes('account', compiled) }}

final as (
    select
        as_of.as_of_date,
        'customer' as entity_type,
        customer_members.entity_key,
        customer_members.segment_key,
        customer_members.reason
    from customer_members
    cross join as_of
    union all
    select
        as_of.as_of_date,
        'account' as entity_type,
        account_members.entity_key,
        account_members.segment_key,
        account_members.reason
    from account_members
    cross join as_of
)

select * from final
