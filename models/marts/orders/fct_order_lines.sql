-- One row per order line, with its order's person and date.
with

order_lines as (
    select
        order_line_id,
        order_id,
        order_created_at,
        order_date,
        product_id,
        sku,
        product_category,
        is_new_arrival,
        is_on_sale,
        quantity,
        refunded_quantity,
        net_quantity,
        currency_code,
        price_amount,
        gross_amount,
        discount_amount,
        refund_amount,
        net_amount,
        gross_amount_local,
        discount_amount_local,
        refund_amount_local,
        net_amount_local
    from {{ ref('int_order_lines_enriched') }}
),

orders as (
    select
        order_id,
        customer_key,
        is_counted_order
    from {{ ref('int_orders_resolved') }}
),

final as (
    select
        cast(order_lines.order_line_id as {{ dbt.type_bigint() }}) as order_line_id,
        cast(order_lines.order_id as {{ dbt.type_bigint() }}) as order_id,
        cast(orders.customer_key as {{ dbt.type_string() }}) as customer_key,
        cast(order_lines.order_created_at as {{ dbt.type_timestamp() }}) as order_created_at,
        cast(order_lines.order_date as date) as order_date,
        cast(orders.is_counted_order as {{ dbt.type_boolean() }}) as is_counted_order,
        cast(order_lines.product_id as {{ dbt.type_bigint() }}) as product_id,
        cast(order_lines.sku as {{ dbt.type_string() }}) as sku,
        cast(order_lines.product_category as {{ dbt.type_string() }}) as product_category,
        cast(order_lines.is_new_arrival as {{ dbt.type_boolean() }}) as is_new_arrival,
        cast(order_lines.is_on_sale as {{ dbt.type_boolean() }}) as is_on_sale,
        cast(order_lines.quantity as {{ dbt.type_int() }}) as quantity,
        cast(order_lines.refunded_quantity as {{ dbt.type_int() }}) as refunded_quantity,
        cast(order_lines.net_quantity as {{ dbt.type_int() }}) as net_quantity,
        cast(order_lines.currency_code as {{ dbt.type_string() }}) as currency_code,
        cast(order_lines.price_amount as {{ money_type() }}) as price_amount,
        cast(order_lines.gross_amount as {{ money_type() }}) as gross_amount,
        cast(order_lines.discount_amount as {{ money_type() }}) as discount_amount,
        cast(order_lines.refund_amount as {{ money_type() }}) as refund_amount,
        cast(order_lines.net_amount as {{ money_type() }}) as net_amount,
        cast(order_lines.gross_amount_local as {{ money_type() }}) as gross_amount_local,
        cast(order_lines.discount_amount_local as {{ money_type() }}) as discount_amount_local,
        cast(order_lines.refund_amount_local as {{ money_type() }}) as refund_amount_local,
        cast(order_lines.net_amount_local as {{ money_type() }}) as net_amount_local
    from order_lines
    inner join orders
        on order_lines.order_id = orders.order_id
)

select * from final
