-- Σ over customers of email events in the window and of support tickets (window and lifetime) =
-- the same figures recomputed from staging: email events whose email is a person's identifier,
-- tickets whose CRM contact, else email, resolves to a person.
{%- set email_days = checked_var('customer_features_email_window_days') %}
{%- set support_days = checked_var('customer_features_support_window_days') %}
{%- set email_types = {'send': 'sends', 'open': 'opens', 'click': 'clicks', 'unsubscribe': 'unsubscribes'} %}
with

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

identifiers as (
    select
        identifier_type,
        identifier_value,
        customer_key
    from {{ ref('int_identity_identifiers') }}
    where customer_key is not null
),

email_events as (
    select
        events.email_event_id,
        events.event_type,
        cast(events.occurred_at as date) as occurred_date
    from {{ ref('stg_marketing__email_events') }} as events
    inner join identifiers
        on identifiers.identifier_type = 'email' and events.email = identifiers.identifier_value
),

tickets as (
    select
        tickets.ticket_id,
        cast(tickets.created_at as date) as created_date
    from {{ ref('stg_crm__support_tickets') }} as tickets
    left join identifiers as by_contact
        on by_contact.identifier_type = 'crm_contact_id' and tickets.contact_id = by_contact.identifier_value
    left join identifiers as by_email
        on by_email.identifier_type = 'email' and tickets.email = by_email.identifier_value
    where coalesce(by_contact.customer_key, by_email.customer_key) is not null
),

email_expected as (
    {%- set in_window = "email_events.occurred_date > " ~ dbt.dateadd('day', -email_days, 'as_of.as_of_date') %}
    select
        {%- for event_type, plural in email_types.items() %}
            count(
                case when email_events.event_type = '{{ event_type }}' and {{ in_window }} then 1 end
            ) as n_email_{{ plural }}_in_window,
        {%- endfor %}
        count(*) as n_email_events
    from email_events
    cross join as_of
    where email_events.occurred_date <= as_of.as_of_date
),

tickets_expected as (
    {%- set in_window = "tickets.created_date > " ~ dbt.dateadd('day', -support_days, 'as_of.as_of_date') %}
    select
        count(case when {{ in_window }} then tickets.ticket_id end) as n_tickets_in_window,
        count(tickets.ticket_id) as n_tickets
    from tickets
    cross join as_of
    where tickets.created_date <= as_of.as_of_date
),

{%- set measures = [] %}
{%- for plural in email_types.values() %}
    {%- do measures.append(('email_expected', 'n_email_' ~ plural ~ '_in_window')) %}
{%- endfor %}
{%- do measures.append(('tickets_expected', 'n_tickets_in_window')) %}
{%- do measures.append(('tickets_expected', 'n_tickets')) %}

actual as (
    select
        {%- for _, measure in measures %}
            coalesce(sum({{ measure }}), 0) as {{ measure }},
        {%- endfor %}
        count(*) as n_customers
    from {{ ref('customer_features') }}
),

comparison as (
    {%- for source, measure in measures %}
        select
            '{{ measure }}' as measure,
            cast({{ source }}.{{ measure }} as {{ dbt.type_bigint() }}) as expected_value,
            cast(actual.{{ measure }} as {{ dbt.type_bigint() }}) as actual_value
        from {{ source }}
        cross join actual
        {{ "union all" if not loop.last }}
    {%- endfor %}
)

select *
from comparison
where expected_value <> actual_value
