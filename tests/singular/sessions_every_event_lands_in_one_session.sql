-- Totals in = totals out for sessionization: every stg_ga4__events row is counted in exactly one
-- session (events, page views, add-to-carts, purchases, revenue), the add-to-cart value is
-- recomputed from the items, and fct_sessions has one row per int_web_sessions row. Returns one
-- row, with every expected and actual total, when any of them differ. No web data: every total is 0.
with

events as (
    select
        event_id,
        event_at,
        event_name,
        currency_code,
        purchase_revenue_amount
    from {{ ref('stg_ga4__events') }}
),

event_items as (
    select
        event_id,
        price_local,
        quantity
    from {{ ref('stg_ga4__event_items') }}
),

fx_rates as (
    -- rates to var base_currency, rebased from the fx_rates seed's quote currency
    {{ fx_rates_to_base() }}
),

cart_items_per_event as (
    select
        events.event_id,
        sum(event_items.price_local * event_items.quantity) as items_amount_local,
        max(fx_rates.rate_to_base) as rate_to_base
    from events
    inner join event_items
        on events.event_id = event_items.event_id
    inner join fx_rates
        on
            events.currency_code = fx_rates.currency_code
            and cast(events.event_at as date) between fx_rates.valid_from and fx_rates.valid_to
    where events.event_name = 'add_to_cart'
    group by events.event_id
),

expected as (
    select
        count(*) as n_events,
        coalesce(sum(case when event_name = 'page_view' then 1 else 0 end), 0) as n_page_views,
        coalesce(sum(case when event_name = 'add_to_cart' then 1 else 0 end), 0) as n_add_to_cart,
        coalesce(sum(case when event_name = 'purchase' then 1 else 0 end), 0) as n_purchases,
        coalesce(sum(purchase_revenue_amount), 0) as purchase_revenue_amount,
        (
            select coalesce(sum({{ convert_to_base('items_amount_local', 'rate_to_base') }}), 0)
            from cart_items_per_event
        ) as add_to_cart_amount,
        (select count(*) from {{ ref('int_web_sessions') }}) as n_sessions
    from events
),

actual as (
    select
        coalesce(sum(n_events), 0) as n_events,
        coalesce(sum(n_page_views), 0) as n_page_views,
        coalesce(sum(n_add_to_cart), 0) as n_add_to_cart,
        coalesce(sum(n_purchases), 0) as n_purchases,
        coalesce(sum(purchase_revenue_amount), 0) as purchase_revenue_amount,
        coalesce(sum(add_to_cart_amount), 0) as add_to_cart_amount,
        count(*) as n_sessions
    from {{ ref('fct_sessions') }}
),

compared as (
    select
        expected.n_events as expected_n_events,
        actual.n_events as actual_n_events,
        expected.n_page_views as expected_n_page_views,
        actual.n_page_views as actual_n_page_views,
        expected.n_add_to_cart as expected_n_add_to_cart,
        actual.n_add_to_cart as actual_n_add_to_cart,
        expected.n_purchases as expected_n_purchases,
        actual.n_purchases as actual_n_purchases,
        expected.purchase_revenue_amount as expected_purchase_revenue_amount,
        actual.purchase_revenue_amount as actual_purchase_revenue_amount,
        expected.add_to_cart_amount as expected_add_to_cart_amount,
        actual.add_to_cart_amount as actual_add_to_cart_amount,
        expected.n_sessions as expected_n_sessions,
        actual.n_sessions as actual_n_sessions
    from expected
    cross join actual
)

select *
from compared
where
    expected_n_events is distinct from actual_n_events
    or expected_n_page_views is distinct from actual_n_page_views
    or expected_n_add_to_cart is distinct from actual_n_add_to_cart
    or expected_n_purchases is distinct from actual_n_purchases
    or expected_purchase_revenue_amount is distinct from actual_purchase_revenue_amount
    or expected_add_to_cart_amount is distinct from actual_add_to_cart_amount
    or expected_n_sessions is distinct from actual_n_sessions
