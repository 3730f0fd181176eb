-- One row per person (customer_key) known at the as-of date: the golden record, consent, and the
-- person's order and session counts, each read from the one intermediate model that computes it.
{%- set consents = consent_pairs() %}
with

spine as (
    select
        customer_key,
        anchor_identifier_type,
        first_seen_at,
        has_web_orders,
        has_pos_orders,
        is_test_account,
        n_identifiers,
        n_emails,
        n_phones,
        n_shop_customer_ids,
        n_web_user_ids,
        n_cookies
    from {{ ref('int_customer_spine') }}
),

golden_record as (
    select
        customer_key,
        primary_crm_contact_id,
        email,
        is_email_verified,
        phone_e164,
        first_name,
        last_name,
        birth_date,
        gender,
        city,
        region,
        postcode,
        country_code,
        income_band,
        job_title,
        account_id,
        account_name,
        industry,
        employee_band,
        revenue_band,
        is_b2b,
        has_crm_contact,
        n_crm_contacts
    from {{ ref('int_customer_golden_record') }}
),

consents as (
    select
        {%- for channel, purpose in consents %}
            has_{{ channel }}_{{ purpose }}_consent,
        {%- endfor %}
        customer_key
    from {{ ref('int_customer_consents') }}
),

order_summary as (
    select
        customer_key,
        first_order_at,
        last_order_at,
        n_orders
    from {{ ref('int_customer_order_summary') }}
),

session_summary as (
    select
        customer_key,
        first_session_at,
        n_sessions
    from {{ ref('int_customer_session_summary') }}
),

final as (
    select
        spine.customer_key,
        spine.anchor_identifier_type,
        golden_record.primary_crm_contact_id,
        golden_record.email,
        golden_record.is_email_verified,
        golden_record.phone_e164,
        golden_record.first_name,
        golden_record.last_name,
        golden_record.birth_date,
        golden_record.gender,
        golden_record.city,
        golden_record.region,
        golden_record.postcode,
        golden_record.country_code,
        golden_record.income_band,
        golden_record.job_title,
        golden_record.account_id,
        golden_record.account_name,
        golden_record.industry,
        golden_record.employee_band,
        golden_record.revenue_band,
        golden_record.is_b2b,
        {%- for channel, purpose in consents %}
            consents.has_{{ channel }}_{{ purpose }}_consent,
        {%- endfor %}
        spine.first_seen_at,
        order_summary.first_order_at,
        order_summary.last_order_at,
        coalesce(order_summary.n_orders, 0) as n_orders,
        session_summary.first_session_at,
        coalesce(session_summary.n_sessions, 0) as n_sessions,
        golden_record.has_crm_contact,
        spine.has_web_orders,
        spine.has_pos_orders,
        session_summary.customer_key is not null as has_web_sessions,
        spine.is_test_account,
        spine.n_identifiers,
        golden_record.n_crm_contacts,
        spine.n_emails,
        spine.n_phones,
        spine.n_shop_customer_ids,
        spine.n_web_user_ids,
        spine.n_cookies
    from spine
    inner join golden_record
        on spine.customer_key = golden_record.customer_key
    left join consents
        on spine.customer_key = consents.customer_key
    left join order_summary
        on spine.customer_key = order_summary.customer_key
    left join session_summary
        on spine.customer_key = session_summary.customer_key
)

select * from final
