-- depends_on: {{ ref('quarantine_reasons') }}
{{ config(materialized='table') }}

with

source as (
    select raw_rows.* from {{ raw_source('shopify', 'products') }} as raw_rows
),

typed as (
    select
        product_id,
        nullif(trim(title), '') as product_title,
        lower(nullif(trim(product_type), '')) as category,
        nullif(trim(collection), '') as collection,
        nullif(trim(vendor), '') as vendor,
        coalesce(is_new_arrival, false) as is_new_arrival,
        {{ parse_timestamp_utc('published_at') }} as launched_at,
        {{ parse_timestamp_utc('created_at') }} as created_at,
        {{ parse_timestamp_utc('updated_at') }} as updated_at,
        nullif(trim(published_at), '') is not null as has_published_at_text,
        nullif(trim(created_at), '') is not null as has_created_at_text,
        nullif(trim(updated_at), '') is not null as has_updated_at_text,
        _loaded_at,
        {{ row_fingerprint('source') }} as _row_fingerprint
    from source
),

validated as (
    select
        *,
        case
            when product_id is null then 'missing_key'
            when has_published_at_text and launched_at is null then 'unparseable_timestamp'
            when has_created_at_text and created_at is null then 'unparseable_timestamp'
            when has_updated_at_text and updated_at is null then 'unparseable_timestamp'
            when created_at > {{ dbt.dateadd('day', var('future_timestamp_tolerance_days'), '_loaded_at') }}
                then 'future_timestamp'
        end as _quarantine_reason
    from typed
),

ranked as (
    -- latest version of a product wins; then the latest load
    {{ rank_duplicates('validated', 'product_id', 'updated_at desc nulls last, _loaded_at desc nulls last') }}
),

final as (
    select
        product_id,
        product_title,
        category,
        collection,
        vendor,
        is_new_arrival,
        launched_at,
        cast(launched_at as date) as launch_date,
        created_at,
        updated_at,
        _loaded_at,
        cast(product_id as {{ dbt.type_string() }}) as _natural_key,
        _quarantine_reason,
        _dedupe_rank,
        _row_fingerprint
    from ranked
)

select * from final
