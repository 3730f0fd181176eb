-- One row per email event (stg_marketing__email_events) with the person its email address resolves to.
with

email_events as (
    select
        email_event_id,
        campaign_id,
        email,
        event_type,
        occurred_at,
        cast(occurred_at as date) as occurred_date,
        url
    from {{ ref('stg_marketing__email_events') }}
),

final as (
    {{ resolve_customer_key('email_events', [('email', 'email_events.email')]) }}
)

select * from final
