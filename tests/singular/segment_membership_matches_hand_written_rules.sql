-- Six shipped segments written by hand, straight from their definitions in
-- models/marts/segments/_segment_definitions.yml, must have exactly the members the compiled rules
-- gave them (both directions). They cover every kind of condition: numeric, `in`, set `contains`,
-- an event count with and without a property filter, a `did: false` event and a nested
-- not_in_segment. Change a definition here when you change its meaning there.
with

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

customers as (
    select
        dim_customers.customer_key,
        features.net_revenue_amount,
        features.n_orders,
        features.days_since_last_order,
        features.value_set,
        features.age_band
    from {{ ref('dim_customers') }} as dim_customers
    inner join {{ ref('customer_features') }} as features
        on dim_customers.customer_key = features.customer_key
    where not dim_customers.is_test_account
),

add_to_carts as (
    select
        web.customer_key,
        web.event_id,
        web.event_date,
        web.item_price_amount
    from {{ ref('int_web_events_resolved') }} as web
    where web.event_name = 'add_to_cart'
),

counted_orders as (
    select
        customer_key,
        order_date
    from {{ ref('fct_orders') }}
    where is_counted_order and customer_key is not null
),

delivery_tickets as (
    select
        customer_key,
        created_date
    from {{ ref('int_support_tickets_resolved') }}
    where category = 'delivery' and customer_key is not null
),

expected as (
    select
        customers.customer_key,
        'high_value_cart_abandoners' as segment_key
    from customers
    cross join as_of
    where
        customers.net_revenue_amount > 500
        and exists (
            select 1 from add_to_carts
            where
                add_to_carts.customer_key = customers.customer_key
                and add_to_carts.event_date > {{ dbt.dateadd('day', -7, 'as_of.as_of_date') }}
                and add_to_carts.event_date <= as_of.as_of_date
        )
        and not exists (
            select 1 from counted_orders
            where
                counted_orders.customer_key = customers.customer_key
                and counted_orders.order_date > {{ dbt.dateadd('day', -7, 'as_of.as_of_date') }}
                and counted_orders.order_date <= as_of.as_of_date
        )

    union all

    select
        customers.customer_key,
        'premium_cart_builders' as segment_key
    from customers
    cross join as_of
    where exists (
            select 1 from add_to_carts
            where
                add_to_carts.customer_key = customers.customer_key
                and add_to_carts.item_price_amount > 100
                and add_to_carts.event_date > {{ dbt.dateadd('day', -30, 'as_of.as_of_date') }}
                and add_to_carts.event_date <= as_of.as_of_date
        )

    union all

    select
        customers.customer_key,
        'delivery_worriers' as segment_key
    from customers
    cross join as_of
    where exists (
            select 1 from delivery_tickets
            where
                delivery_tickets.customer_key = customers.customer_key
                and delivery_tickets.created_date > {{ dbt.dateadd('day', -365, 'as_of.as_of_date') }}
                and delivery_tickets.created_date <= as_of.as_of_date
        )

    union all

    select
        customer_key,
        'eco_conscious' as segment_key
    from customers
    where
        ',' || value_set || ',' like '%,sustainability,%'
        or ',' || value_set || ',' like '%,local,%'

    union all

    select
        customer_key,
        'journey_purchase' as segment_key
    from customers
    where n_orders >= 1 and not (n_orders >= 3 and days_since_last_order < 180)

    union all

    select
        customer_key,
        'young_adults' as segment_key
    from customers
    where age_band in ('18_24', '25_34')
),

actual as (
    select
        entity_key as customer_key,
        segment_key
    from {{ ref('segment_membership') }}
    where
        entity_type = 'customer'
        and segment_key in (
            'high_value_cart_abandoners', 'premium_cart_builders', 'delivery_worriers', 'eco_conscious',
            'journey_purchase', 'young_adults'
        )
),

missing as (
    select
        customer_key,
        segment_key
    from expected
    except
    select
        customer_key,
        segment_key
    from actual
),

unexpected as (
    select
        customer_key,
        segment_key
    from actual
    except
    select
        customer_key,
        segment_key
    from expected
),

final as (
    select
        'missing from segment_membership' as problem,
        customer_key,
        segment_key
    from missing
    union all
    select
        'not in the hand-written rule' as problem,
        customer_key,
        segment_key
    from unexpected
)

select * from final
