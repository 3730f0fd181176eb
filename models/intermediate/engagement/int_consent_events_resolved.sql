-- One row per consent event (stg_crm__consent_events) with the person of its CRM contact.
with

consent_events as (
    select
        consent_event_id,
        contact_id,
        channel,
        purpose,
        is_granted,
        occurred_at
    from {{ ref('stg_crm__consent_events') }}
),

final as (
    {{ resolve_customer_key('consent_events', [('crm_contact_id', 'consent_events.contact_id')]) }}
)

select * from final
