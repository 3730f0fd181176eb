-- depends_on: {{ ref('quarantine_reasons') }}
{{ config(materialized='table') }}

with

source as (
    select raw_rows.* from {{ raw_source('crm', 'consent_events') }} as raw_rows
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

validated as (
    select
        *,
        case
            when consent_event_id is null or contact_id is null then 'missing_key'
            when occurred_at is null then 'unparseable_timestamp'
            when occurred_at > {{ dbt.dateadd('day', var('future_timestamp_tolerance_days'), '_loaded_at') }}
                then 'future_timestamp'
            when status not in ('granted', 'withdrawn') then 'unknown_value'
            when channel not in ('email', 'sms', 'phone', 'push', 'ads') then 'unknown_value'
            when purpose not in ('marketing', 'analytics', 'personalization') then 'unknown_value'
        end as _quarantine_reason
    from typed
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
