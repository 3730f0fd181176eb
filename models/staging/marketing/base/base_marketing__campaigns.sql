-- depends_on: {{ ref('quarantine_reasons') }}
{{ config(materialized='table') }}

with

source as (
    select raw_rows.* from {{ raw_source('marketing', 'campaigns') }} as raw_rows
),

code_sets as (
    select
        code_set,
        code
    from {{ ref('code_sets') }}
),

typed as (
    select
        nullif(trim(campaign_id), '') as campaign_id,
        nullif(trim(campaign_name), '') as campaign_name,
        lower(nullif(trim(channel), '')) as channel,
        lower(nullif(trim(target_audience), '')) as target_audience,
        -- ISO YYYY-MM-DD only: engines disagree on other spellings (01/02/2025, today)
        case
            when {{ regexp_like("trim(start_date)", "'^[0-9]{4}-[0-9]{2}-[0-9]{2}$'") }}
                then {{ try_cast_as("trim(start_date)", 'date') }}
        end as start_date,
        case
            when {{ regexp_like("trim(end_date)", "'^[0-9]{4}-[0-9]{2}-[0-9]{2}$'") }}
                then {{ try_cast_as("trim(end_date)", 'date') }}
        end as end_date,
        nullif(trim(end_date), '') is not null as has_end_date_text,
        _loaded_at,
        {{ row_fingerprint('source') }} as _row_fingerprint
    from source
),

coded as (
    -- each coded value checked against its set in seed code_sets (one row per code: no fan-out)
    select
        typed.*,
        channels.code is not null as is_known_channel
    from typed
    left join code_sets as channels
        on channels.code_set = 'campaign_channel' and typed.channel = channels.code
),

validated as (
    select
        *,
        case
            when campaign_id is null then 'missing_key'
            -- dates share the timestamp codes: there is no separate date code in quarantine_reasons
            when start_date is null then 'unparseable_timestamp'
            when has_end_date_text and end_date is null then 'unparseable_timestamp'
            when start_date < cast('{{ var("min_plausible_date") }}' as date) then 'implausible_timestamp'
            when end_date < start_date then 'invalid_date_range'
            -- a blank channel is unknown too
            when not is_known_channel then 'unknown_value'
        end as _quarantine_reason
    from coded
),

ranked as (
    -- the catalogue is re-exported: the latest load of a campaign wins
    {{ rank_duplicates('validated', 'campaign_id', '_loaded_at desc nulls last') }}
),

final as (
    select
        campaign_id,
        campaign_name,
        channel,
        target_audience,
        start_date,
        end_date,
        _loaded_at,
        campaign_id as _natural_key,
        _quarantine_reason,
        _dedupe_rank,
        _row_fingerprint
    from ranked
)

select * from final
