-- One row per support ticket (stg_crm__support_tickets) with its person: the ticket's CRM contact
-- when it resolves, else its email.
with

support_tickets as (
    select
        ticket_id,
        contact_id,
        email,
        category,
        sentiment_score,
        status,
        created_at,
        cast(created_at as date) as created_date,
        updated_at
    from {{ ref('stg_crm__support_tickets') }}
),

final as (
    {{ resolve_customer_key('support_tickets', [
        ('crm_contact_id', 'support_tickets.contact_id'),
        ('email', 'support_tickets.email'),
    ]) }}
)

select * from final
