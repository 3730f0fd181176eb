-- depends_on: {{ ref('quarantine_reasons') }}
{{ config(materialized='table') }}

with

source as (
    select raw_rows.* from {{ raw_source('crm', 'consent_events') }} as raw_rows
),

code_sets as (
    select
        code_set,
        code
    from {{ ref('code_sets') }}
),

typed as (
    select
        nullif(trim(consent_event_id), '') as consent_event_id,
        nullif(trim(contact_id), '') as contact_id,
        lower(nullif(trim(channel), '')) as channel,
        lower(nullif(trim(purpose), '')) as purpose,
        lower(nullif(trim(status), '')) as status,
        {{ parse_timestamp_utc('occurred_at') }} as occurred_at,
        _loaded_at,
        {{ row_fingerprint('source') }} as _row_fingerprint
    from source
),

coded as (
    -- each coded value checked against its set in seed code_sets (one row per code: no fan-out)
    select
        typed.*,
        statuses.code is not null as is_known_status,
        channels.code is not null as is_known_channel,
        purposes.code is not null as is_known_purpose
    from typed
    left join code_sets as statuses
        on statuses.code_set = 'consent_status' and typed.status = statuses.code
    left join code_sets as channels
        on channels.code_set = 'consent_channel' and typed.channel = channels.code
    left join code_sets as purposes
        on purposes.code_set = 'consent_purpose' and typed.purpose = purposes.code
),

validated as (
    select
        *,
        case
            when consent_event_id is null or contact_id is null then 'missing_key'
            when occurred_at is null then 'unparseable_timestamp'
            when occurred_at > {{ dbt.dateadd('day', var('future_timestamp_tolerance_days'), '_loaded_at') }}
                then 'future_timestamp'
            -- a blank status, channel or purpose is not rejected here
            when status is not null and not is_known_status then 'unknown_value'
            when channel is not null and not is_known_channel then 'unknown_value'
            when purpose is not null and not is_known_purpose then 'unknown_value'
        end as _quarantine_reason
    from coded
),

ranked as (
    -- a re-delivered consent event: keep the first load
    {{ rank_duplicates('validated', 'consent_event_id', '_loaded_at asc nulls last') }}
),

final as (
    select
        consent_event_id,
        contact_id,
        channel,
        purpose,
        status = 'granted' as is_granted,
        occurred_at,
        _loaded_at,
        consent_event_id as _natural_key,
        _quarantine_reason,
        _dedupe_rank,
        _row_fingerprint
    from ranked
)

select * from final
