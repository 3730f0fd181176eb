-- depends_on: {{ ref('quarantine_reasons') }}
{{ config(materialized='table') }}

with

source as (
    select raw_rows.* from {{ raw_source('crm', 'survey_responses') }} as raw_rows
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

validated as (
    select
        *,
        case
            when response_id is null or contact_id is null then 'missing_key'
            when responded_at is null then 'unparseable_timestamp'
            when responded_at > {{ dbt.dateadd('day', var('future_timestamp_tolerance_days'), '_loaded_at') }}
                then 'future_timestamp'
            when question_key not in ('interests', 'values', 'motivations') or answer is null
                then 'unknown_value'
        end as _quarantine_reason
    from typed
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
