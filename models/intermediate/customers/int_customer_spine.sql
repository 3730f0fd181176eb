-- One row per person (customer_key) known at the as-of date, prospects included: an identifier first
-- seen, or a web session (an anonymous cookie session is no identity evidence), on or before it.
-- The identity summary (anchor, identifier counts) and the person-level order flags (orders of any
-- status dated on or before the as-of date). Every customer table starts here.
with

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

identifiers as (
    select
        identifier_type,
        identifier_value,
        customer_key,
        is_anchor,
        first_seen_at
    from {{ ref('int_identity_identifiers') }}
    where customer_key is not null
),

orders as (
    select
        int_orders_resolved.customer_key,
        int_orders_resolved.is_test,
        int_orders_resolved.sales_channel
    from {{ ref('int_orders_resolved') }} as int_orders_resolved
    cross join as_of
    where
        int_orders_resolved.customer_key is not null
        and int_orders_resolved.order_date <= as_of.as_of_date
),

-- persons with a session on or before the as-of date
sessions as (
    select customer_key
    from {{ ref('int_customer_session_summary') }}
),

identity_summary as (
    select
        customer_key,
        max(case when is_anchor then identifier_type end) as anchor_identifier_type,
        min(first_seen_at) as first_seen_at,
        count(*) as n_identifiers,
        count(case when identifier_type = 'email' then identifier_value end) as n_emails,
        count(case when identifier_type = 'phone' then identifier_value end) as n_phones,
        count(case when identifier_type = 'shop_customer_id' then identifier_value end) as n_shop_customer_ids,
        count(case when identifier_type = 'web_user_id' then identifier_value end) as n_web_user_ids,
        count(case when identifier_type = 'cookie' then identifier_value end) as n_cookies
    from identifiers
    group by customer_key
),

-- orders of any status: a person who placed a test order is a test account (staff)
order_flags as (
    select
        customer_key,
        max(case when is_test then 1 else 0 end) = 1 as has_test_orders,
        max(case when sales_channel = 'web' then 1 else 0 end) = 1 as has_web_orders,
        max(case when sales_channel = 'pos' then 1 else 0 end) = 1 as has_pos_orders
    from orders
    group by customer_key
),

final as (
    select
        identity_summary.customer_key,
        as_of.as_of_date,
        identity_summary.anchor_identifier_type,
        identity_summary.first_seen_at,
        identity_summary.n_identifiers,
        identity_summary.n_emails,
        identity_summary.n_phones,
        identity_summary.n_shop_customer_ids,
        identity_summary.n_web_user_ids,
        identity_summary.n_cookies,
        coalesce(order_flags.has_web_orders, false) as has_web_orders,
        coalesce(order_flags.has_pos_orders, false) as has_pos_orders,
        coalesce(order_flags.has_test_orders, false) as is_test_account
    from identity_summary
    cross join as_of
    left join order_flags
        on identity_summary.customer_key = order_flags.customer_key
    left join sessions
        on identity_summary.customer_key = sessions.customer_key
    where
        cast(identity_summary.first_seen_at as date) <= as_of.as_of_date
        or sessions.customer_key is not null
)

select * from final
