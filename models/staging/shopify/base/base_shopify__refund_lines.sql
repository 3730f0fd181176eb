{{ config(materialized='table') }}

with

source as (
    select * from {{ source('shopify', 'refund_lines') }}
),

refunds as (
    select
        refund_id,
        order_id,
        currency_code
    from {{ ref('stg_shopify__refunds') }}
),

-- converted at the order's rate, like the line it refunds
order_lines as (
    select
        order_line_id,
        order_id,
        quantity as ordered_quantity,
        fx_rate_to_base
    from {{ ref('stg_shopify__order_lines') }}
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
        {{ row_fingerprint('source') }} as _row_fingerprint
    from source
    left join refunds
        on source.refund_id = refunds.refund_id
    left join order_lines
        on source.order_line_id = order_lines.order_line_id
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
            when restock_type not in ('return', 'cancel', 'no_restock') then 'unknown_value'
        end as _quarantine_reason
    from typed
),

ranked as (
    -- a re-delivered refund line: keep the latest load
    {{ rank_duplicates('validated', 'refund_line_id', '_loaded_at desc') }}
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
        _row_fingerprint
    from ranked
)

select * from final
