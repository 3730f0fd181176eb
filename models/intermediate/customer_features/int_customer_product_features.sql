-- One row per person of int_customer_spine with their product features: category mix and item
-- shares of the lines of their counted orders dated on or before the as-of date.
{%- set count_type = dbt.type_bigint() %}
{%- set rate_type = type_double() %}
with

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

customers as (
    select customer_key
    from {{ ref('int_customer_spine') }}
),

order_lines as (
    select
        int_orders_resolved.customer_key,
        int_order_lines_enriched.order_date,
        int_order_lines_enriched.product_category,
        int_order_lines_enriched.is_on_sale,
        int_order_lines_enriched.is_new_arrival,
        int_order_lines_enriched.quantity,
        int_order_lines_enriched.net_amount
    from {{ ref('int_order_lines_enriched') }} as int_order_lines_enriched
    inner join {{ ref('int_orders_resolved') }} as int_orders_resolved
        on int_order_lines_enriched.order_id = int_orders_resolved.order_id
    where int_orders_resolved.is_counted_order and int_orders_resolved.customer_key is not null
),

-- lines: one pass to the customer and category grain; the customer roll-up reads that small table
line_categories as (
    select
        order_lines.customer_key,
        order_lines.product_category,
        sum(order_lines.net_amount) as net_amount,
        sum(order_lines.quantity) as quantity,
        sum(case when order_lines.is_on_sale then order_lines.quantity else 0 end) as on_sale_quantity,
        sum(case when order_lines.is_new_arrival then order_lines.quantity else 0 end) as new_arrival_quantity
    from order_lines
    cross join as_of
    where order_lines.order_date <= as_of.as_of_date
    group by order_lines.customer_key, order_lines.product_category
),

-- top category: highest net line revenue, ties by category name ascending; null category or
-- revenue ranks last (engines disagree on where desc puts nulls)
line_category_ranks as (
    select
        *,
        row_number() over (
            partition by customer_key
            order by
                case when product_category is null then 1 else 0 end,
                case when net_amount is null then 1 else 0 end,
                net_amount desc,
                product_category asc
        ) as category_rank
    from line_categories
),

line_features as (
    select
        customer_key,
        sum(quantity) as quantity,
        sum(on_sale_quantity) as on_sale_quantity,
        sum(new_arrival_quantity) as new_arrival_quantity,
        count(product_category) as n_categories,
        max(case when category_rank = 1 then product_category end) as top_category
    from line_category_ranks
    group by customer_key
),

final as (
    select
        cast(customers.customer_key as {{ dbt.type_string() }}) as customer_key,
        cast(as_of.as_of_date as date) as as_of_date,
        cast(
            cast(line_features.on_sale_quantity as {{ rate_type }})
            / nullif(line_features.quantity, 0) as {{ rate_type }}
        ) as on_sale_item_share,
        cast(
            cast(line_features.new_arrival_quantity as {{ rate_type }})
            / nullif(line_features.quantity, 0) as {{ rate_type }}
        ) as new_arrival_item_share,
        cast(line_features.top_category as {{ dbt.type_string() }}) as top_category,
        cast(coalesce(line_features.n_categories, 0) as {{ count_type }}) as n_categories
    from customers
    cross join as_of
    left join line_features
        on customers.customer_key = line_features.customer_key
)

select * from final
