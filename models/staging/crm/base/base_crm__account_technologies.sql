-- depends_on: {{ ref('quarantine_reasons') }}
{{ config(materialized='table') }}
{%- set latest_detection_first = 'last_detected_at desc nulls last, _loaded_at desc nulls last' %}

with

source as (
    select raw_rows.* from {{ raw_source('crm', 'account_technologies') }} as raw_rows
),

typed as (
    select
        nullif(trim(account_id), '') as account_id,
        nullif(trim(technology), '') as technology,
        lower(nullif(trim(technology_category), '')) as technology_category,
        {{ parse_timestamp_utc('first_detected_at') }} as first_detected_at,
        {{ parse_timestamp_utc('last_detected_at') }} as last_detected_at,
        _loaded_at,
        nullif(trim(first_detected_at), '') is not null as has_first_detected_text,
        nullif(trim(last_detected_at), '') is not null as has_last_detected_text,
        {{ row_fingerprint('source') }} as _row_fingerprint
    from source
),

validated as (
    select
        *,
        case
            when account_id is null or technology is null then 'missing_key'
            when has_first_detected_text and first_detected_at is null then 'unparseable_timestamp'
            when has_last_detected_text and last_detected_at is null then 'unparseable_timestamp'
            when last_detected_at > {{ dbt.dateadd('day', var('future_timestamp_tolerance_days'), '_loaded_at') }}
                then 'future_timestamp'
            when last_detected_at < first_detected_at then 'invalid_date_range'
        end as _quarantine_reason
    from typed
),

ranked as (
    -- the most recent detection of a technology at an account wins
    {{ rank_duplicates('validated', ['account_id', 'technology'], latest_detection_first) }}
),

final as (
    select
        account_id,
        technology,
        technology_category,
        first_detected_at,
        last_detected_at,
        _loaded_at,
        {{ dbt.concat(["coalesce(account_id, '')", "'|'", "coalesce(technology, '')"]) }} as _natural_key,
        _quarantine_reason,
        _dedupe_rank,
        _row_fingerprint
    from ranked
)

select * from final
