-- One row per Shopify order, resolved to its person (customer_key), with new-vs-repeat sequence: the
-- contracted output of int_orders_resolved.
with

final as (
    select
        cast(order_id as {{ dbt.type_bigint() }}) as order_id,
        cast(order_number as {{ dbt.type_string() }}) as order_number,
        cast(customer_key as {{ dbt.type_string() }}) as customer_key,
        cast(customer_id as {{ dbt.type_bigint() }}) as customer_id,
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(order_date as date) as order_date,
        cast(currency_code as {{ dbt.type_string() }}) as currency_code,
        cast(sales_channel as {{ dbt.type_string() }}) as sales_channel,
        cast(shipping_country_code as {{ dbt.type_string() }}) as shipping_country_code,
        cast(financial_status as {{ dbt.type_string() }}) as financial_status,
        cast(is_cancelled as {{ dbt.type_boolean() }}) as is_cancelled,
        cast(is_test as {{ dbt.type_boolean() }}) as is_test,
        cast(is_guest_checkout as {{ dbt.type_boolean() }}) as is_guest_checkout,
        cast(has_discount_code as {{ dbt.type_boolean() }}) as has_discount_code,
        cast(is_counted_order as {{ dbt.type_boolean() }}) as is_counted_order,
        cast(customer_order_number as {{ dbt.type_int() }}) as customer_order_number,
        cast(coalesce(customer_order_number = 1, false) as {{ dbt.type_boolean() }}) as is_first_order,
        cast(coalesce(customer_order_number > 1, false) as {{ dbt.type_boolean() }}) as is_repeat_order,
        cast(n_lines as {{ dbt.type_int() }}) as n_lines,
        cast(n_items as {{ dbt.type_int() }}) as n_items,
        cast(n_refunds as {{ dbt.type_int() }}) as n_refunds,
        cast(n_items_refunded as {{ dbt.type_int() }}) as n_items_refunded,
        cast(gross_amount as {{ money_type() }}) as gross_amount,
        cast(line_discount_amount as {{ money_type() }}) as line_discount_amount,
        cast(order_discount_amount as {{ money_type() }}) as order_discount_amount,
        cast(discount_amount as {{ money_type() }}) as discount_amount,
        cast(item_refund_amount as {{ money_type() }}) as item_refund_amount,
        cast(shipping_refund_amount as {{ money_type() }}) as shipping_refund_amount,
        cast(refund_amount as {{ money_type() }}) as refund_amount,
        cast(net_amount as {{ money_type() }}) as net_amount,
        cast(shipping_amount as {{ money_type() }}) as shipping_amount,
        cast(tax_amount as {{ money_type() }}) as tax_amount,
        cast(total_amount as {{ money_type() }}) as total_amount,
        cast(gross_amount_local as {{ money_type() }}) as gross_amount_local,
        cast(discount_amount_local as {{ money_type() }}) as discount_amount_local,
        cast(item_refund_amount_local as {{ money_type() }}) as item_refund_amount_local,
        cast(shipping_refund_amount_local as {{ money_type() }}) as shipping_refund_amount_local,
        cast(refund_amount_local as {{ money_type() }}) as refund_amount_local,
        cast(net_amount_local as {{ money_type() }}) as net_amount_local
    from {{ ref('int_orders_resolved') }}
)

select * from final
