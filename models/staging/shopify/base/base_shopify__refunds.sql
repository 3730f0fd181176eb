-- depends_on: {{ ref('quarantine_reasons') }}
-- Incremental: stored under its order's day (_partition_date), not the refund's. A run rebuilds whole
-- days touched by refunds loaded since the last run or by their orders (an order exported after its
-- refund turns it from orphan_row into a usable row and moves it from its load day to the order's day).
{{ config(
    materialized='incremental', on_schema_change='fail',
    **incremental_replace_config('_partition_date', '_row_fingerprint')
) }}

with

source as (
    select raw_rows.* from {{ raw_source('shopify', 'refunds') }} as raw_rows
),

-- refunds are paid in their usable order's currency (the rows stg_shopify__orders shows; staging
-- reads its parent's base_ table, never a stg_ view)
orders as (
    select
        order_id,
        created_at as order_created_at,
        order_date,
        currency_code,
        fx_rate_to_base
    from {{ ref('base_shopify__orders') }}
    where _quarantine_reason is null and _dedupe_rank = 1
),

typed as (
    select
        source.refund_id,
        source.order_id,
        {{ parse_timestamp_utc('source.created_at') }} as refunded_at,
        nullif(trim(source.note), '') as note,
        {{ parse_decimal('source.shipping_refund') }} as shipping_refund_amount_local,
        nullif(trim(source.shipping_refund), '') is not null as has_shipping_refund_text,
        orders.order_id is not null as has_order,
        orders.order_created_at,
        orders.currency_code,
        orders.fx_rate_to_base,
        source._loaded_at,
        {{ row_fingerprint('source') }} as _row_fingerprint,
        -- a refund without a usable order goes under its load day
        coalesce(orders.order_date, cast(source._loaded_at as date)) as _partition_date
    from source
    left join orders
        on source.order_id = orders.order_id
),

{% if is_incremental() %}
    {{ child_rebuilt_days(['order_id', 'refund_id'], [('base_shopify__orders', 'order_id')]) }}

{% endif %}
validated as (
    select
        *,
        case
            when refund_id is null or order_id is null then 'missing_key'
            when refunded_at is null then 'unparseable_timestamp'
            when refunded_at > {{ dbt.dateadd('day', var('future_timestamp_tolerance_days'), '_loaded_at') }}
                then 'future_timestamp'
            when has_shipping_refund_text and shipping_refund_amount_local is null then 'unparseable_amount'
            when shipping_refund_amount_local < 0 then 'negative_amount'
            when not has_order then 'orphan_row'
            when refunded_at < order_created_at then 'invalid_date_range'
        end as _quarantine_reason
    from typed
    {% if is_incremental() %}
        where _partition_date in (select rebuilt_days._partition_date from rebuilt_days)
    {% endif %}
),

ranked as (
    -- a re-delivered refund: keep the latest load
    {{ rank_duplicates('validated', 'refund_id', '_loaded_at desc nulls last') }}
),

final as (
    select
        refund_id,
        order_id,
        refunded_at,
        cast(refunded_at as date) as refund_date,
        note,
        currency_code,
        coalesce(shipping_refund_amount_local, 0) as shipping_refund_amount_local,
        {{ convert_to_base('coalesce(shipping_refund_amount_local, 0)', 'fx_rate_to_base') }}
            as shipping_refund_amount,
        _loaded_at,
        cast(refund_id as {{ dbt.type_string() }}) as _natural_key,
        _quarantine_reason,
        _dedupe_rank,
        _row_fingerprint,
        _partition_date
    from ranked
)

select * from final
{{ write_partitions_whole('_partition_date') }}
