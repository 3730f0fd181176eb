with

survey_responses as (
    select
        response_id,
        contact_id,
        question_key,
        answer,
        responded_at,
        _loaded_at
    from {{ ref('base_crm__survey_responses') }}
    where _quarantine_reason is null and _dedupe_rank = 1
)

select * from survey_responses
