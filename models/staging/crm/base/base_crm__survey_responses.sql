-- depends_on: {{ ref('quarantine_reasons') }}
{{ config(materialized='table') }}

with

source as (
    select raw_rows.* from {{ raw_source('crm', 'survey_responses') }} as raw_rows
),

code_sets as (
    select
        code_set,
        code
    from {{ ref('code_sets') }}
),

typed as (
    select
        nullif(trim(response_id), '') as response_id,
        nullif(trim(contact_id), '') as contact_id,
        lower(nullif(trim(question_key), '')) as question_key,
        lower(nullif(trim(answer), '')) as answer,
        {{ parse_timestamp_utc('responded_at') }} as responded_at,
        _loaded_at,
        {{ row_fingerprint('source') }} as _row_fingerprint
    from source
),

coded as (
    -- each coded value checked against its set in seed code_sets (one row per code: no fan-out)
    select
        typed.*,
        question_keys.code is not null as is_known_question_key
    from typed
    left join code_sets as question_keys
        on question_keys.code_set = 'survey_question_key' and typed.question_key = question_keys.code
),

validated as (
    select
        *,
        case
            when response_id is null or contact_id is null then 'missing_key'
            when responded_at is null then 'unparseable_timestamp'
            when responded_at > {{ dbt.dateadd('day', var('future_timestamp_tolerance_days'), '_loaded_at') }}
                then 'future_timestamp'
            -- a blank question_key passes this rule, a blank answer does not
            when (question_key is not null and not is_known_question_key) or answer is null
                then 'unknown_value'
        end as _quarantine_reason
    from coded
),

ranked as (
    -- a re-delivered answer: keep the first load
    {{ rank_duplicates('validated', 'response_id', '_loaded_at asc nulls last') }}
),

final as (
    select
        response_id,
        contact_id,
        question_key,
        answer,
        responded_at,
        _loaded_at,
        response_id as _natural_key,
        _quarantine_reason,
        _dedupe_rank,
        _row_fingerprint
    from ranked
)

select * from final
