-- One row per survey answer (stg_crm__survey_responses) with the person of its CRM contact.
with

survey_responses as (
    select
        response_id,
        contact_id,
        question_key,
        answer,
        responded_at,
        cast(responded_at as date) as responded_date
    from {{ ref('stg_crm__survey_responses') }}
),

final as (
    {{ resolve_customer_key('survey_responses', [('crm_contact_id', 'survey_responses.contact_id')]) }}
)

select * from final
