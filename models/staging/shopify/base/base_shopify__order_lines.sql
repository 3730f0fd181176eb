-- depends_on: {{ ref('quarantine_reasons') }}
-- Incremental: stored under its order's day (_partition_date). A run rebuilds whole days touched by
-- lines loaded since the last run or by their orders (an order exported after its lines turns them
-- from orphan_row into usable rows and moves them from their load day to the order's day).
{{ config(
    materialized='incremental', on_schema_change='fail',
    **incremental_replace_config('_partition_date', '_row_fingerprint')
) }}

with

source as (
    select raw_rows.* from {{ raw_source('shopify', 'order_lines') }} as raw_rows
),

-- lines carry no currency: they are converted with their usable order's currency and rate (the
-- rows stg_shopify__orders shows; staging reads its parent's base_ table, never a stg_ view)
orders as (
    select
        order_id,
        order_date,
        currency_code,
        fx_rate_to_base
    from {{ ref('base_shopify__orders') }}
    where _quarantine_reason is null and _dedupe_rank = 1
),

typed as (
    select
        source.order_line_id,
        source.order_id,
        source.product_id,
        nullif(trim(source.sku), '') as sku,
        source.quantity,
        {{ parse_decimal('source.price') }} as price_local,
        {{ parse_decimal('source.compare_at_price') }} as compare_at_price_local,
        {{ parse_decimal('source.total_discount') }} as discount_amount_local,
        nullif(trim(source.price), '') is not null as has_price_text,
        nullif(trim(source.compare_at_price), '') is not null as has_compare_at_price_text,
        nullif(trim(source.total_discount), '') is not null as has_discount_text,
        orders.order_id is not null as has_order,
        orders.currency_code,
        orders.fx_rate_to_base,
        source._loaded_at,
        {{ row_fingerprint('source') }} as _row_fingerprint,
        -- a line without a usable order goes under its load day
        coalesce(orders.order_date, cast(source._loaded_at as date)) as _partition_date
    from source
    left join orders
        on source.order_id = orders.order_id
),

{% if is_incremental() %}
    {{ child_rebuilt_days(['order_id', 'order_line_id'], [('base_shopify__orders', 'order_id')]) }}

{% endif %}
validated as (
    select
        *,
        case
            when order_line_id is null or order_id is null then 'missing_key'
            when price_local is null then 'unparseable_amount'
            when has_compare_at_price_text and compare_at_price_local is null then 'unparseable_amount'
            when has_discount_text and discount_amount_local is null then 'unparseable_amount'
            when quantity is null then 'unparseable_amount'
            when quantity < 0 or price_local < 0 or discount_amount_local < 0 then 'negative_amount'
            when not has_order then 'orphan_row'
        end as _quarantine_reason
    from typed
    {% if is_incremental() %}
        where _partition_date in (select rebuilt_days._partition_date from rebuilt_days)
    {% endif %}
),

ranked as (
    -- a re-delivered line: keep the latest load
    {{ rank_duplicates('validated', 'order_line_id', '_loaded_at desc nulls last') }}
),

final as (
    select
        order_line_id,
        order_id,
        product_id,
        sku,
        quantity,
        currency_code,
        fx_rate_to_base,
        price_local,
        compare_at_price_local,
        coalesce(discount_amount_local, 0) as discount_amount_local,
        cast(quantity * price_local as {{ money_type(wide=true) }}) as gross_amount_local,
        {{ convert_to_base('price_local', 'fx_rate_to_base') }} as price_amount,
        {{ convert_to_base('compare_at_price_local', 'fx_rate_to_base') }} as compare_at_price_amount,
        {{ convert_to_base('coalesce(discount_amount_local, 0)', 'fx_rate_to_base') }} as discount_amount,
        {{ convert_to_base('quantity * price_local', 'fx_rate_to_base') }} as gross_amount,
        coalesce(compare_at_price_local > price_local, false) as is_on_sale,
        _loaded_at,
        cast(order_line_id as {{ dbt.type_string() }}) as _natural_key,
        _quarantine_reason,
        _dedupe_rank,
        _row_fingerprint,
        _partition_date
    from ranked
)

select * from final
{{ write_partitions_whole('_partition_date') }}
