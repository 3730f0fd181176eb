-- depends_on: {{ ref('quarantine_reasons') }}
{{ config(materialized='table') }}

with

source as (
    select raw_rows.* from {{ raw_source('crm', 'support_tickets') }} as raw_rows
),

code_sets as (
    select
        code_set,
        code
    from {{ ref('code_sets') }}
),

typed as (
    select
        nullif(trim(ticket_id), '') as ticket_id,
        nullif(trim(contact_id), '') as contact_id,
        {{ normalize_email('email') }} as email,
        lower(nullif(trim(category), '')) as category,
        {{ try_cast_as("nullif(trim(sentiment_score), '')", 'numeric(6,4)') }} as sentiment_score,
        nullif(trim(sentiment_score), '') is not null as has_sentiment_text,
        lower(nullif(trim(status), '')) as status,
        {{ parse_timestamp_utc('created_at') }} as created_at,
        {{ parse_timestamp_utc('updated_at') }} as updated_at,
        nullif(trim(updated_at), '') is not null as has_updated_at_text,
        _loaded_at,
        {{ row_fingerprint('source') }} as _row_fingerprint
    from source
),

coded as (
    -- each coded value checked against its set in seed code_sets (one row per code: no fan-out)
    select
        typed.*,
        categories.code is not null as is_known_category,
        statuses.code is not null as is_known_status
    from typed
    left join code_sets as categories
        on categories.code_set = 'support_ticket_category' and typed.category = categories.code
    left join code_sets as statuses
        on statuses.code_set = 'support_ticket_status' and typed.status = statuses.code
),

validated as (
    select
        *,
        case
            when ticket_id is null then 'missing_key'
            when created_at is null then 'unparseable_timestamp'
            when has_updated_at_text and updated_at is null then 'unparseable_timestamp'
            when created_at > {{ dbt.dateadd('day', var('future_timestamp_tolerance_days'), '_loaded_at') }}
                then 'future_timestamp'
            when updated_at < created_at then 'invalid_date_range'
            when has_sentiment_text and sentiment_score is null then 'unparseable_amount'
            when sentiment_score not between -1 and 1 then 'unknown_value'
            -- a blank category or status passes this rule
            when category is not null and not is_known_category then 'unknown_value'
            when status is not null and not is_known_status then 'unknown_value'
        end as _quarantine_reason
    from coded
),

ranked as (
    -- latest version of a ticket wins; then the latest load
    {{ rank_duplicates('validated', 'ticket_id', 'updated_at desc nulls last, _loaded_at desc nulls last') }}
),

final as (
    select
        ticket_id,
        contact_id,
        email,
        category,
        sentiment_score,
        status,
        created_at,
        updated_at,
        _loaded_at,
        ticket_id as _natural_key,
        _quarantine_reason,
        _dedupe_rank,
        _row_fingerprint
    from ranked
)

select * from final
