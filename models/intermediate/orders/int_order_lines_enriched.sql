-- One row per order line: what was sold, what came back, and the product it was. Amounts are cast to
-- one decimal type, the same on every engine.
with

order_lines as (
    select
        order_line_id,
        order_id,
        product_id,
        sku,
        quantity,
        currency_code,
        fx_rate_to_base,
        price_local,
        gross_amount_local,
        discount_amount_local,
        price_amount,
        gross_amount,
        discount_amount,
        is_on_sale
    from {{ ref('stg_shopify__order_lines') }}
),

orders as (
    select
        order_id,
        created_at,
        order_date
    from {{ ref('stg_shopify__orders') }}
),

products as (
    select
        product_id,
        category,
        launch_date
    from {{ ref('stg_shopify__products') }}
),

refund_lines as (
    select
        order_line_id,
        quantity,
        refund_amount_local,
        refund_amount
    from {{ ref('stg_shopify__refund_lines') }}
),

-- a line can be refunded in several refunds: one row per line before the join
refunds_per_line as (
    select
        order_line_id,
        sum(quantity) as refunded_quantity,
        sum(refund_amount_local) as refund_amount_local,
        sum(refund_amount) as refund_amount
    from refund_lines
    group by order_line_id
),

final as (
    select
        order_lines.order_line_id,
        order_lines.order_id,
        orders.created_at as order_created_at,
        orders.order_date,
        order_lines.product_id,
        order_lines.sku,
        products.category as product_category,
        -- new when bought: launched at most order_new_arrival_days - 1 days before the order day (the
        -- product's own is_new_arrival tag says what is new today, not what was new then)
        coalesce(
            products.launch_date <= orders.order_date
            and {{ dbt.datediff('products.launch_date', 'orders.order_date', 'day') }}
            < {{ checked_var('order_new_arrival_days') }},
            false
        ) as is_new_arrival,
        order_lines.is_on_sale,
        products.product_id is not null as has_product,
        order_lines.quantity,
        coalesce(refunds_per_line.refunded_quantity, 0) as refunded_quantity,
        order_lines.quantity - coalesce(refunds_per_line.refunded_quantity, 0) as net_quantity,
        order_lines.currency_code,
        order_lines.fx_rate_to_base,
        cast(order_lines.price_local as {{ money_type(wide=true) }}) as price_local,
        cast(order_lines.gross_amount_local as {{ money_type(wide=true) }}) as gross_amount_local,
        cast(order_lines.discount_amount_local as {{ money_type(wide=true) }}) as discount_amount_local,
        cast(coalesce(refunds_per_line.refund_amount_local, 0) as {{ money_type(wide=true) }}) as refund_amount_local,
        cast(
            order_lines.gross_amount_local
            - order_lines.discount_amount_local
            - coalesce(refunds_per_line.refund_amount_local, 0)
            as {{ money_type(wide=true) }}
        ) as net_amount_local,
        cast(order_lines.price_amount as {{ money_type(wide=true) }}) as price_amount,
        cast(order_lines.gross_amount as {{ money_type(wide=true) }}) as gross_amount,
        cast(order_lines.discount_amount as {{ money_type(wide=true) }}) as discount_amount,
        cast(coalesce(refunds_per_line.refund_amount, 0) as {{ money_type(wide=true) }}) as refund_amount,
        cast(
            order_lines.gross_amount
            - order_lines.discount_amount
            - coalesce(refunds_per_line.refund_amount, 0)
            as {{ money_type(wide=true) }}
        ) as net_amount
    from order_lines
    inner join orders
        on order_lines.order_id = orders.order_id
    left join products
        on order_lines.product_id = products.product_id
    left join refunds_per_line
        on order_lines.order_line_id = refunds_per_line.order_line_id
)

select * from final
