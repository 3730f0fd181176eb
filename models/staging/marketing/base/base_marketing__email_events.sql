-- depends_on: {{ ref('quarantine_reasons') }}
{{ config(materialized='table') }}

with

source as (
    select raw_rows.* from {{ raw_source('marketing', 'email_events') }} as raw_rows
),

code_sets as (
    select
        code_set,
        code
    from {{ ref('code_sets') }}
),

typed as (
    select
        nullif(trim(email_event_id), '') as email_event_id,
        nullif(trim(campaign_id), '') as campaign_id,
        {{ normalize_email('email') }} as email,
        lower(nullif(trim(event_type), '')) as event_type,
        {{ parse_timestamp_utc('occurred_at') }} as occurred_at,
        nullif(trim(url), '') as url,
        _loaded_at,
        {{ row_fingerprint('source') }} as _row_fingerprint
    from source
),

coded as (
    -- each coded value checked against its set in seed code_sets (one row per code: no fan-out)
    select
        typed.*,
        event_types.code is not null as is_known_event_type
    from typed
    left join code_sets as event_types
        on event_types.code_set = 'email_event_type' and typed.event_type = event_types.code
),

validated as (
    select
        *,
        case
            when email_event_id is null then 'missing_key'
            when occurred_at is null then 'unparseable_timestamp'
            when occurred_at > {{ dbt.dateadd('day', var('future_timestamp_tolerance_days'), '_loaded_at') }}
                then 'future_timestamp'
            when occurred_at < cast('{{ var("min_plausible_date") }}' as {{ dbt.type_timestamp() }})
                then 'implausible_timestamp'
            -- a blank event type is unknown too
            when not is_known_event_type then 'unknown_value'
        end as _quarantine_reason
    from coded
),

ranked as (
    -- the ESP webhook re-delivers an event under the same id: keep the first delivery
    {{ rank_duplicates('validated', 'email_event_id', '_loaded_at asc nulls last') }}
),

final as (
    select
        email_event_id,
        campaign_id,
        email,
        event_type,
        occurred_at,
        url,
        _loaded_at,
        email_event_id as _natural_key,
        _quarantine_reason,
        _dedupe_rank,
        _row_fingerprint
    from ranked
)

select * from final
