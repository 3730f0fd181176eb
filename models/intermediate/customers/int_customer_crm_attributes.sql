-- One row per person with a CRM contact: the CRM side of the golden record. Each attribute comes
-- from the person's most recently updated contact that has it (ties: contact_id; a null updated_at
-- sorts last on every engine); the email prefers a verified one.
{%- set crm_attributes = crm_golden_attributes() %}
with

identifiers as (
    select
        identifier_type,
        identifier_value,
        customer_key
    from {{ ref('int_identity_identifiers') }}
    where customer_key is not null and identifier_type = 'crm_contact_id'
),

contacts as (
    select
        contact_id,
        email,
        is_email_verified,
        {%- for attribute in crm_attributes %}
            {{ attribute }},
        {%- endfor %}
        updated_at
    from {{ ref('stg_crm__contacts') }}
),

customer_contacts as (
    select
        identifiers.customer_key,
        contacts.*
    from contacts
    inner join identifiers
        on
            identifiers.identifier_type = 'crm_contact_id'
            and contacts.contact_id = identifiers.identifier_value
),

contact_attribute_ranks as (
    select
        customer_key,
        contact_id,
        email,
        {%- for attribute in crm_attributes %}
            {{ attribute }},
            row_number() over (
                partition by customer_key
                order by case when {{ attribute }} is null then 1 else 0 end, updated_at desc nulls last, contact_id asc
            ) as {{ attribute }}_rank,
        {%- endfor %}
        row_number() over (
            partition by customer_key
            order by
                case when email is null then 1 else 0 end,
                case when is_email_verified then 0 else 1 end,
                updated_at desc,
                contact_id asc
        ) as email_rank,
        row_number() over (
            partition by customer_key
            order by updated_at desc nulls last, contact_id asc
        ) as contact_rank,
        is_email_verified
    from customer_contacts
),

final as (
    select
        customer_key,
        max(case when contact_rank = 1 then contact_id end) as primary_crm_contact_id,
        max(case when email_rank = 1 then email end) as crm_email,
        {{ dbt.bool_or('case when email_rank = 1 and email is not null then is_email_verified end') }}
            as is_email_verified,
        {%- for attribute in crm_attributes %}
            max(case when {{ attribute }}_rank = 1 then {{ attribute }} end) as {{ attribute }},
        {%- endfor %}
        count(*) as n_crm_contacts
    from contact_attribute_ranks
    group by customer_key
)

select * from final
