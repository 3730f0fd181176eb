-- depends_on: {{ ref('quarantine_reasons') }}
{{ config(materialized='table') }}

with

source as (
    select raw_rows.* from {{ raw_source('crm', 'accounts') }} as raw_rows
),

country_aliases as (
    select
        country_alias,
        country_code
    from {{ ref('country_aliases') }}
),

typed as (
    select
        nullif(trim(source.account_id), '') as account_id,
        nullif(trim(source.account_name), '') as account_name,
        lower(nullif(trim(source.industry), '')) as industry,
        nullif(trim(source.employee_band), '') as employee_band,
        nullif(trim(source.revenue_band), '') as revenue_band,
        country_aliases.country_code,
        {{ parse_timestamp_utc('source.created_at') }} as created_at,
        {{ parse_timestamp_utc('source.updated_at') }} as updated_at,
        source._loaded_at,
        nullif(trim(source.created_at), '') is not null as has_created_at_text,
        nullif(trim(source.updated_at), '') is not null as has_updated_at_text,
        {{ row_fingerprint('source') }} as _row_fingerprint
    from source
    left join country_aliases
        on lower(trim(source.country)) = country_aliases.country_alias
),

validated as (
    select
        *,
        case
            when account_id is null then 'missing_key'
            when has_created_at_text and created_at is null then 'unparseable_timestamp'
            when has_updated_at_text and updated_at is null then 'unparseable_timestamp'
            when created_at > {{ dbt.dateadd('day', var('future_timestamp_tolerance_days'), '_loaded_at') }}
                then 'future_timestamp'
            when updated_at > {{ dbt.dateadd('day', var('future_timestamp_tolerance_days'), '_loaded_at') }}
                then 'future_timestamp'
        end as _quarantine_reason
    from typed
),

ranked as (
    -- latest version of an account wins; then the latest load
    {{ rank_duplicates('validated', 'account_id', 'updated_at desc nulls last, _loaded_at desc nulls last') }}
),

final as (
    select
        account_id,
        account_name,
        industry,
        employee_band,
        revenue_band,
        country_code,
        created_at,
        updated_at,
        _loaded_at,
        account_id as _natural_key,
        _quarantine_reason,
        _dedupe_rank,
        _row_fingerprint
    from ranked
)

select * from final
