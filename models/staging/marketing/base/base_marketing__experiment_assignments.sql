-- depends_on: {{ ref('quarantine_reasons') }}
{{ config(materialized='table') }}

with

source as (
    select raw_rows.* from {{ raw_source('marketing', 'experiment_assignments') }} as raw_rows
),

typed as (
    select
        nullif(trim(assignment_id), '') as assignment_id,
        nullif(trim(experiment_id), '') as experiment_id,
        lower(nullif(trim(variant), '')) as variant,
        nullif(trim(user_pseudo_id), '') as user_pseudo_id,
        nullif(trim(user_id), '') as user_id,
        {{ parse_timestamp_utc('assigned_at') }} as assigned_at,
        _loaded_at,
        {{ row_fingerprint('source') }} as _row_fingerprint
    from source
),

validated as (
    select
        *,
        case
            -- an assignment is only usable with its experiment, its variant and someone assigned
            when assignment_id is null or experiment_id is null or variant is null then 'missing_key'
            when user_pseudo_id is null and user_id is null then 'missing_key'
            when assigned_at is null then 'unparseable_timestamp'
            when assigned_at > {{ dbt.dateadd('day', var('future_timestamp_tolerance_days'), '_loaded_at') }}
                then 'future_timestamp'
            when assigned_at < cast('{{ var("min_plausible_date") }}' as {{ dbt.type_timestamp() }})
                then 'implausible_timestamp'
            -- variants are open-ended (control or a treatment name) but always a code word
            when not {{ regexp_like('variant', "'^[a-z0-9][a-z0-9_-]*$'") }} then 'unknown_value'
        end as _quarantine_reason
    from typed
),

ranked as (
    -- a re-delivered assignment: keep the first load
    {{ rank_duplicates('validated', 'assignment_id', '_loaded_at asc nulls last') }}
),

final as (
    select
        assignment_id,
        experiment_id,
        variant,
        user_pseudo_id,
        user_id,
        assigned_at,
        _loaded_at,
        assignment_id as _natural_key,
        _quarantine_reason,
        _dedupe_rank,
        _row_fingerprint
    from ranked
)

select * from final
