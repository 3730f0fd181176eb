{{ config(materialized='table') }}

{#- Every raw row a staging model did not keep, with why. One row per rejected raw row.
    Add each new base_ model here (the test quarantine_covers_every_base_model fails otherwise).
    The raw payload is looked up again in the source by row fingerprint, only for rejected rows:
    serializing every raw row to JSON in the base models would double staging time. -#}
{%- set base_models = [
    ('crm', 'contacts', 'base_crm__contacts'),
    ('crm', 'accounts', 'base_crm__accounts'),
    ('crm', 'account_technologies', 'base_crm__account_technologies'),
    ('crm', 'survey_responses', 'base_crm__survey_responses'),
    ('crm', 'consent_events', 'base_crm__consent_events'),
    ('crm', 'support_tickets', 'base_crm__support_tickets'),
    ('ga4', 'events', 'base_ga4__events'),
    ('ga4', 'event_items', 'base_ga4__event_items'),
    ('marketing', 'email_events', 'base_marketing__email_events'),
    ('marketing', 'campaigns', 'base_marketing__campaigns'),
    ('marketing', 'ad_spend', 'base_marketing__ad_spend'),
    ('marketing', 'experiment_assignments', 'base_marketing__experiment_assignments'),
    ('shopify', 'orders', 'base_shopify__orders'),
    ('shopify', 'order_lines', 'base_shopify__order_lines'),
    ('shopify', 'refunds', 'base_shopify__refunds'),
    ('shopify', 'refund_lines', 'base_shopify__refund_lines'),
    ('shopify', 'products', 'base_shopify__products'),
    ('shopify', 'customers', 'base_shopify__customers'),
] -%}

with

{% for system, table, model in base_models %}
    {{ model }}_rejected as (
        select
            _natural_key,
            _quarantine_reason,
            _loaded_at,
            _row_fingerprint
        from {{ ref(model) }}
        where _quarantine_reason is not null or _dedupe_rank > 1
    ),

    {{ model }}_payloads as (
        -- identical raw rows share a fingerprint and a payload: distinct keeps one per fingerprint
        select distinct
            {{ row_fingerprint('raw_rows') }} as _row_fingerprint,
            {{ to_json_text('raw_rows') }} as raw_payload
        from {{ raw_source(system, table) }} as raw_rows
        where {{ row_fingerprint('raw_rows') }} in (
                select {{ model }}_rejected._row_fingerprint from {{ model }}_rejected
            )
    ),

{% endfor %}
rejected_rows as (
    {% for system, table, model in base_models %}
        select
            '{{ system }}' as source_system,
            '{{ table }}' as source_table,
            cast(rejected._natural_key as {{ dbt.type_string() }}) as natural_key,
            coalesce(rejected._quarantine_reason, 'duplicate_natural_key') as reason_code,
            case when rejected._quarantine_reason is null then 'deduplicated' else 'quarantined' end as disposition,
            rejected._loaded_at,
            payloads.raw_payload
        from {{ model }}_rejected as rejected
        left join {{ model }}_payloads as payloads
            on rejected._row_fingerprint = payloads._row_fingerprint
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from rejected_rows
