-- depends_on: {{ ref('quarantine_reasons') }}
-- Incremental: stored under its order's day (_partition_date). A run rebuilds whole days touched by
-- refund lines loaded since the last run or by the refunds, order lines and orders they depend on
-- (any of them arriving later turns the refund line from orphan_row into a usable row).
-- Parents are read from their base_ tables, usable rank-1 rows only (what their stg_ views show).
{{ config(
    materialized='incremental', on_schema_change='fail',
    **incremental_replace_config('_partition_date', '_row_fingerprint')
) }}

with

source as (
    select raw_rows.* from {{ raw_source('shopify', 'refund_lines') }} as raw_rows
),

code_sets as (
    select
        code_set,
        code
    from {{ ref('code_sets') }}
),

refunds as (
    select
        refund_id,
        order_id,
        currency_code
    from {{ ref('base_shopify__refunds') }}
    where _quarantine_reason is null and _dedupe_rank = 1
),

-- converted at the order's rate, like the line it refunds
order_lines as (
    select
        order_line_id,
        order_id,
        quantity as ordered_quantity,
        fx_rate_to_base
    from {{ ref('base_shopify__order_lines') }}
    where _quarantine_reason is null and _dedupe_rank = 1
),

-- refund lines are stored under their order's day, like everything else of the order
orders as (
    select
        order_id,
        order_date
    from {{ ref('base_shopify__orders') }}
    where _quarantine_reason is null and _dedupe_rank = 1
),

typed as (
    select
        source.refund_line_id,
        source.refund_id,
        source.order_line_id,
        source.quantity,
        {{ parse_decimal('source.subtotal') }} as refund_amount_local,
        lower(nullif(trim(source.restock_type), '')) as restock_type,
        refunds.order_id,
        refunds.currency_code,
        order_lines.fx_rate_to_base,
        order_lines.ordered_quantity,
        refunds.refund_id is not null as has_refund,
        order_lines.order_line_id is not null and order_lines.order_id = refunds.order_id as has_order_line,
        source._loaded_at,
        {{ row_fingerprint('source') }} as _row_fingerprint,
        -- a refund line without a usable refund goes under its load day
        coalesce(orders.order_date, cast(source._loaded_at as date)) as _partition_date
    from source
    left join refunds
        on source.refund_id = refunds.refund_id
    left join order_lines
        on source.order_line_id = order_lines.order_line_id
    left join orders
        on refunds.order_id = orders.order_id
),

{% if is_incremental() %}
    {%- set parents = [
        ('base_shopify__refunds', 'refund_id'),
        ('base_shopify__order_lines', 'order_line_id'),
        ('base_shopify__orders', 'order_id'),
    ] %}
    {{ child_rebuilt_days(['refund_id', 'refund_line_id'], parents) }}

{% endif %}

coded as (
    -- the restock type checked against its set in seed code_sets (one row per code: no fan-out)
    select
        typed.*,
        restock_types.code is not null as is_known_restock_type
    from typed
    left join code_sets as restock_types
        on restock_types.code_set = 'refund_restock_type' and typed.restock_type = restock_types.code
),

validated as (
    select
        *,
        case
            when refund_line_id is null or refund_id is null or order_line_id is null then 'missing_key'
            when refund_amount_local is null or quantity is null then 'unparseable_amount'
            when refund_amount_local < 0 or quantity < 0 then 'negative_amount'
            when not has_refund or not coalesce(has_order_line, false) then 'orphan_row'
            when quantity > ordered_quantity then 'impossible_amount'
            -- a blank restock type passes this rule
            when restock_type is not null and not is_known_restock_type then 'unknown_value'
        end as _quarantine_reason
    from coded
    {% if is_incremental() %}
        where _partition_date in (select rebuilt_days._partition_date from rebuilt_days)
    {% endif %}
),

ranked as (
    -- a re-delivered refund line: keep the latest load
    {{ rank_duplicates('validated', 'refund_line_id', '_loaded_at desc nulls last') }}
),

final as (
    select
        refund_line_id,
        refund_id,
        order_line_id,
        order_id,
        quantity,
        restock_type,
        currency_code,
        refund_amount_local,
        {{ convert_to_base('refund_amount_local', 'fx_rate_to_base') }} as refund_amount,
        _loaded_at,
        cast(refund_line_id as {{ dbt.type_string() }}) as _natural_key,
        _quarantine_reason,
        _dedupe_rank,
        _row_fingerprint,
        _partition_date
    from ranked
)

select * from final
{{ write_partitions_whole('_partition_date') }}
