-- One row per customer (every customer_key of dim_customers, prospects included) with behavioural
-- features as of the as-of date. Each source is aggregated to the customer grain once (all windows
-- by conditional aggregation in one group by) and left-joined to the customer list. "In the last N
-- days" means days_ago = as_of_date - event date in [0, N - 1] (docs block customer_feature_windows).
{%- set order_windows = feature_windows('customer_features_order_windows_days') %}
{%- set aov_window = checked_var('customer_features_aov_window_days') %}
{%- set web_windows = feature_windows('customer_features_web_windows_days') %}
{%- set engagement_window = checked_var('customer_features_web_engagement_window_days') %}
{%- set cart_window = checked_var('customer_features_cart_window_days') %}
{%- set email_window = checked_var('customer_features_email_window_days') %}
{%- set support_window = checked_var('customer_features_support_window_days') %}
{%- set technology_categories = checked_var('customer_features_technology_categories') %}
{%- set trend_recent_days = checked_var('churn_recent_window_days') %}
{%- set trend_prior_end_days = trend_recent_days + checked_var('churn_prior_window_days') %}
{%- set count_type = dbt.type_bigint() %}
{%- set rate_type = type_double() %}
{%- set money = money_type(wide=true) %}

with

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

customers as (
    select
        int_customer_spine.customer_key,
        int_customer_golden_record.account_id
    from {{ ref('int_customer_spine') }} as int_customer_spine
    inner join {{ ref('int_customer_golden_record') }} as int_customer_golden_record
        on int_customer_spine.customer_key = int_customer_golden_record.customer_key
),

order_summary as (
    select
        customer_key,
        n_orders,
        net_revenue,
        gross_amount,
        discount_amount,
        item_refund_amount,
        n_orders_with_discount_code,
        days_since_first_order,
        days_since_last_order,
        mean_days_between_orders,
        last_order_at
    from {{ ref('int_customer_order_summary') }}
),

session_summary as (
    select
        customer_key,
        n_sessions
    from {{ ref('int_customer_session_summary') }}
),

orders as (
    select
        customer_key,
        order_id,
        order_date,
        net_amount
    from {{ ref('int_orders_resolved') }}
    where is_counted_order and customer_key is not null
),

order_lines as (
    select
        customer_key,
        order_date,
        product_category,
        is_on_sale,
        is_new_arrival,
        quantity,
        net_amount
    from {{ ref('fct_order_lines') }}
    where is_counted_order and customer_key is not null
),

sessions as (
    select
        customer_key,
        user_pseudo_id,
        started_at,
        session_date,
        device_category,
        device_browser,
        n_page_views,
        n_content_page_views,
        n_add_to_cart,
        add_to_cart_amount,
        is_converted
    from {{ ref('int_sessions_resolved') }}
    where not is_bot and customer_key is not null
),

email_events as (
    select
        customer_key,
        email_event_id,
        campaign_id,
        event_type,
        occurred_date
    from {{ ref('int_email_events_resolved') }}
    where customer_key is not null
),

support_tickets as (
    select
        customer_key,
        ticket_id,
        sentiment_score,
        status,
        created_date
    from {{ ref('int_support_tickets_resolved') }}
    where customer_key is not null
),

psychographic_features as (
    select
        customer_key,
        latest_interest,
        latest_value,
        latest_motivation,
        interest_set,
        value_set,
        motivation_set,
        n_interests,
        n_values,
        n_motivations,
        n_survey_answers,
        has_survey_answers
    from {{ ref('int_customer_psychographic_features') }}
),

needs_features as (
    select
        customer_key,
        support_categories_in_window,
        top_support_category_in_window,
        mean_ticket_sentiment_in_window,
        n_open_complaints
    from {{ ref('int_customer_needs_features') }}
),

technology_features as (
    select
        account_id,
        {%- for category in technology_categories %}
            has_tech_{{ category }},
        {%- endfor %}
        n_technologies
    from {{ ref('int_account_technographics') }}
),

-- orders: one pass, every window by conditional aggregation
orders_dated as (
    {%- set days_ago = dbt.datediff('orders.order_date', 'as_of.as_of_date', 'day') %}
    select
        orders.*,
        {{ days_ago }} as days_ago
    from orders
    cross join as_of
    where orders.order_date <= as_of.as_of_date
),

-- windowed order measures; lifetime ones come from the order summary
order_window_features as (
    select
        customer_key,
        {%- for window, days in order_windows %}
            count(case when days_ago < {{ days }} then order_id end) as n_orders_in_{{ window }}_window,
            sum(case when days_ago < {{ days }} then net_amount else 0 end) as net_revenue_amount_in_{{ window }}_window,
        {%- endfor %}
        count(case when days_ago < {{ aov_window }} then order_id end) as n_orders_aov_window,
        sum(case when days_ago < {{ aov_window }} then net_amount else 0 end) as net_revenue_amount_aov_window
    from orders_dated
    group by customer_key
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

-- sessions: one pass for counts and windows
sessions_dated as (
    {%- set days_ago = dbt.datediff('sessions.session_date', 'as_of.as_of_date', 'day') %}
    select
        sessions.*,
        {{ days_ago }} as days_ago
    from sessions
    cross join as_of
    where sessions.session_date <= as_of.as_of_date
),

session_features as (
    select
        customer_key,
        {%- for window, days in web_windows %}
            count(case when days_ago < {{ days }} then customer_key end) as n_sessions_in_{{ window }}_window,
            sum(case when days_ago < {{ days }} then n_page_views else 0 end) as n_page_views_in_{{ window }}_window,
        {%- endfor %}
        count(case when days_ago < {{ engagement_window }} then customer_key end) as n_sessions_engagement_window,
        count(
            case when days_ago < {{ engagement_window }} and is_converted then customer_key end
        ) as n_converted_sessions_engagement_window,
        sum(
            case when days_ago < {{ engagement_window }} then n_content_page_views else 0 end
        ) as n_content_page_views_engagement_window,
        count(
            case when days_ago < {{ engagement_window }} and n_content_page_views > 0 then customer_key end
        ) as n_content_sessions_engagement_window,
        -- engagement trend windows (churn vars), compared as per-day rates by customer_churn_risk
        count(case when days_ago < {{ trend_recent_days }} then customer_key end) as n_sessions_recent_window,
        count(
            case
                when days_ago >= {{ trend_recent_days }} and days_ago < {{ trend_prior_end_days }} then customer_key
            end
        ) as n_sessions_prior_window,
        count(*) as n_sessions,
        count(case when device_category = 'mobile' then customer_key end) as n_mobile_sessions,
        count(distinct user_pseudo_id) as n_devices,
        min(days_ago) as days_since_last_session,
        max(case when is_converted then started_at end) as last_converted_session_started_at
    from sessions_dated
    group by customer_key
),

-- devices: one pass to the customer, device category and browser grain, then two small rankings
device_usage as (
    select
        customer_key,
        device_category,
        device_browser,
        count(*) as n_sessions
    from sessions_dated
    group by customer_key, device_category, device_browser
),

device_category_ranks as (
    select
        customer_key,
        device_category,
        row_number() over (
            partition by customer_key
            order by sum(n_sessions) desc, device_category asc
        ) as usage_rank
    from device_usage
    where device_category is not null
    group by customer_key, device_category
),

browser_ranks as (
    select
        customer_key,
        device_browser,
        row_number() over (
            partition by customer_key
            order by sum(n_sessions) desc, device_browser asc
        ) as usage_rank
    from device_usage
    where device_browser is not null
    group by customer_key, device_browser
),

-- A cart session is abandoned when neither it nor anything later turned into a purchase: no
-- converting session started at or after it and no counted order created at or after it, up to
-- the as-of date. Only the last N days of sessions are read, against per-customer latest purchases.
cart_sessions as (
    select
        sessions_dated.customer_key,
        sessions_dated.n_add_to_cart,
        sessions_dated.add_to_cart_amount
    from sessions_dated
    left join session_features
        on sessions_dated.customer_key = session_features.customer_key
    left join order_summary
        on sessions_dated.customer_key = order_summary.customer_key
    where
        sessions_dated.days_ago < {{ cart_window }}
        and sessions_dated.n_add_to_cart > 0
        and coalesce(session_features.last_converted_session_started_at < sessions_dated.started_at, true)
        and coalesce(order_summary.last_order_at < sessions_dated.started_at, true)
),

cart_features as (
    select
        customer_key,
        count(*) as n_abandoned_cart_sessions,
        sum(n_add_to_cart) as n_abandoned_add_to_carts,
        sum(coalesce(add_to_cart_amount, 0)) as abandoned_cart_amount
    from cart_sessions
    group by customer_key
),

-- email: one pass to the customer and campaign grain (an open or click is matched to the send of
-- its campaign), then a roll-up; an event without a campaign is a campaign of its own
email_events_dated as (
    {%- set days_ago = dbt.datediff('email_events.occurred_date', 'as_of.as_of_date', 'day') %}
    select
        email_events.customer_key,
        coalesce(email_events.campaign_id, 'event:' || email_events.email_event_id) as campaign_key,
        email_events.event_type,
        {{ days_ago }} as days_ago
    from email_events
    cross join as_of
    where email_events.occurred_date <= as_of.as_of_date
),

email_campaigns as (
    select
        customer_key,
        campaign_key,
        count(case when event_type = 'send' and days_ago < {{ email_window }} then customer_key end) as n_sends,
        count(case when event_type = 'open' and days_ago < {{ email_window }} then customer_key end) as n_opens,
        count(case when event_type = 'click' and days_ago < {{ email_window }} then customer_key end) as n_clicks,
        count(
            case when event_type = 'unsubscribe' and days_ago < {{ email_window }} then customer_key end
        ) as n_unsubscribes,
        count(case when event_type = 'open' then customer_key end) as n_opens_lifetime,
        count(case when event_type = 'click' then customer_key end) as n_clicks_lifetime,
        -- engagement trend windows (churn vars), as for sessions
        count(
            case when event_type in ('open', 'click') and days_ago < {{ trend_recent_days }} then customer_key end
        ) as n_engagements_recent_window,
        count(
            case
                when
                    event_type in ('open', 'click')
                    and days_ago >= {{ trend_recent_days }}
                    and days_ago < {{ trend_prior_end_days }}
                    then customer_key
            end
        ) as n_engagements_prior_window,
        min(case when event_type in ('open', 'click') then days_ago end) as days_since_last_engagement
    from email_events_dated
    group by customer_key, campaign_key
),

email_features as (
    select
        customer_key,
        sum(n_sends) as n_sends,
        sum(n_opens) as n_opens,
        sum(n_clicks) as n_clicks,
        sum(n_unsubscribes) as n_unsubscribes,
        sum(n_engagements_recent_window) as n_engagements_recent_window,
        sum(n_engagements_prior_window) as n_engagements_prior_window,
        count(case when n_sends > 0 then campaign_key end) as n_campaigns_sent,
        count(case when n_sends > 0 and n_opens_lifetime > 0 then campaign_key end) as n_campaigns_opened,
        count(case when n_sends > 0 and n_clicks_lifetime > 0 then campaign_key end) as n_campaigns_clicked,
        min(days_since_last_engagement) as days_since_last_engagement
    from email_campaigns
    group by customer_key
),

tickets_dated as (
    {%- set days_ago = dbt.datediff('support_tickets.created_date', 'as_of.as_of_date', 'day') %}
    select
        support_tickets.customer_key,
        support_tickets.ticket_id,
        support_tickets.sentiment_score,
        support_tickets.status,
        {{ days_ago }} as days_ago
    from support_tickets
    cross join as_of
    where support_tickets.created_date <= as_of.as_of_date
),

support_features as (
    select
        customer_key,
        count(case when days_ago < {{ support_window }} then ticket_id end) as n_tickets_window,
        count(ticket_id) as n_tickets,
        avg(sentiment_score) as mean_sentiment_score,
        count(case when status in ('open', 'pending') then ticket_id end) as n_open_tickets
    from tickets_dated
    group by customer_key
),

final as (
    select
        cast(customers.customer_key as {{ dbt.type_string() }}) as customer_key,
        cast(as_of.as_of_date as date) as as_of_date,

        -- orders
        {%- for window, days in order_windows %}
            {%- set column = 'n_orders_in_' ~ window ~ '_window' %}
            cast(coalesce(order_window_features.{{ column }}, 0) as {{ count_type }}) as {{ column }},
        {%- endfor %}
        cast(coalesce(order_summary.n_orders, 0) as {{ count_type }}) as n_orders,
        {%- for window, days in order_windows %}
            {%- set column = 'net_revenue_amount_in_' ~ window ~ '_window' %}
            cast(coalesce(order_window_features.{{ column }}, 0) as {{ money }}) as {{ column }},
        {%- endfor %}
        cast(coalesce(order_summary.net_revenue, 0) as {{ money }}) as net_revenue_amount,
        cast(
            order_summary.net_revenue / nullif(order_summary.n_orders, 0) as {{ money }}
        ) as aov_amount,
        cast(
            order_window_features.net_revenue_amount_aov_window / nullif(order_window_features.n_orders_aov_window, 0)
            as {{ money }}
        ) as aov_amount_in_window,
        cast(order_summary.days_since_last_order as {{ count_type }}) as days_since_last_order,
        cast(order_summary.days_since_first_order as {{ count_type }}) as days_since_first_order,
        cast(order_summary.mean_days_between_orders as {{ rate_type }}) as mean_days_between_orders,
        cast(
            cast(order_summary.item_refund_amount as {{ rate_type }})
            / nullif(order_summary.gross_amount, 0) as {{ rate_type }}
        ) as refund_share_of_gross,
        cast(
            cast(order_summary.discount_amount as {{ rate_type }})
            / nullif(order_summary.gross_amount, 0) as {{ rate_type }}
        ) as discount_share_of_gross,
        cast(
            cast(order_summary.n_orders_with_discount_code as {{ rate_type }})
            / nullif(order_summary.n_orders, 0) as {{ rate_type }}
        ) as discount_code_order_share,

        -- order lines
        cast(
            cast(line_features.on_sale_quantity as {{ rate_type }})
            / nullif(line_features.quantity, 0) as {{ rate_type }}
        ) as on_sale_item_share,
        cast(
            cast(line_features.new_arrival_quantity as {{ rate_type }})
            / nullif(line_features.quantity, 0) as {{ rate_type }}
        ) as new_arrival_item_share,
        cast(line_features.top_category as {{ dbt.type_string() }}) as top_category,
        cast(coalesce(line_features.n_categories, 0) as {{ count_type }}) as n_categories,

        -- web
        {%- for window, days in web_windows %}
            {%- set column = 'n_sessions_in_' ~ window ~ '_window' %}
            cast(coalesce(session_features.{{ column }}, 0) as {{ count_type }}) as {{ column }},
        {%- endfor %}
        cast(coalesce(session_summary.n_sessions, 0) as {{ count_type }}) as n_sessions,
        {%- for window, days in web_windows %}
            {%- set column = 'n_page_views_in_' ~ window ~ '_window' %}
            cast(coalesce(session_features.{{ column }}, 0) as {{ count_type }}) as {{ column }},
        {%- endfor %}
        cast(session_features.days_since_last_session as {{ count_type }}) as days_since_last_session,
        cast(
            coalesce(session_features.n_sessions_recent_window, 0) as {{ count_type }}
        ) as n_sessions_recent_window,
        cast(coalesce(session_features.n_sessions_prior_window, 0) as {{ count_type }}) as n_sessions_prior_window,
        cast(
            cast(session_features.n_converted_sessions_engagement_window as {{ rate_type }})
            / nullif(session_features.n_sessions_engagement_window, 0) as {{ rate_type }}
        ) as session_conversion_rate_in_window,
        cast(
            coalesce(session_features.n_content_page_views_engagement_window, 0) as {{ count_type }}
        ) as n_content_page_views_in_window,
        cast(
            coalesce(session_features.n_content_sessions_engagement_window, 0) as {{ count_type }}
        ) as n_content_sessions_in_window,
        cast(
            coalesce(cart_features.n_abandoned_cart_sessions, 0) as {{ count_type }}
        ) as n_abandoned_cart_sessions_in_window,
        cast(
            coalesce(cart_features.n_abandoned_add_to_carts, 0) as {{ count_type }}
        ) as n_abandoned_add_to_carts_in_window,
        cast(
            coalesce(cart_features.abandoned_cart_amount, 0) as {{ money }}
        ) as abandoned_cart_amount_in_window,

        -- devices
        cast(device_category_ranks.device_category as {{ dbt.type_string() }}) as primary_device_category,
        cast(browser_ranks.device_browser as {{ dbt.type_string() }}) as primary_browser,
        cast(
            cast(session_features.n_mobile_sessions as {{ rate_type }})
            / nullif(session_features.n_sessions, 0) as {{ rate_type }}
        ) as mobile_session_share,
        cast(coalesce(session_features.n_devices, 0) as {{ count_type }}) as n_devices,

        -- email
        cast(coalesce(email_features.n_sends, 0) as {{ count_type }}) as n_email_sends_in_window,
        cast(coalesce(email_features.n_opens, 0) as {{ count_type }}) as n_email_opens_in_window,
        cast(coalesce(email_features.n_clicks, 0) as {{ count_type }}) as n_email_clicks_in_window,
        cast(
            coalesce(email_features.n_unsubscribes, 0) as {{ count_type }}
        ) as n_email_unsubscribes_in_window,
        cast(
            cast(email_features.n_campaigns_opened as {{ rate_type }})
            / nullif(email_features.n_campaigns_sent, 0) as {{ rate_type }}
        ) as email_open_rate_in_window,
        cast(
            cast(email_features.n_campaigns_clicked as {{ rate_type }})
            / nullif(email_features.n_campaigns_sent, 0) as {{ rate_type }}
        ) as email_click_rate_in_window,
        cast(
            email_features.days_since_last_engagement as {{ count_type }}
        ) as days_since_last_email_engagement,
        cast(
            coalesce(email_features.n_engagements_recent_window, 0) as {{ count_type }}
        ) as n_email_engagements_recent_window,
        cast(
            coalesce(email_features.n_engagements_prior_window, 0) as {{ count_type }}
        ) as n_email_engagements_prior_window,

        -- support
        cast(coalesce(support_features.n_tickets_window, 0) as {{ count_type }}) as n_tickets_in_window,
        cast(coalesce(support_features.n_tickets, 0) as {{ count_type }}) as n_tickets,
        cast(support_features.mean_sentiment_score as {{ rate_type }}) as mean_ticket_sentiment,
        cast(coalesce(support_features.n_open_tickets, 0) as {{ count_type }}) as n_open_tickets,

        -- B2B technology stack
        {%- for category in technology_categories %}
            cast(
                coalesce(technology_features.has_tech_{{ category }}, false) as {{ dbt.type_boolean() }}
            ) as has_tech_{{ category }},
        {%- endfor %}
        cast(coalesce(technology_features.n_technologies, 0) as {{ count_type }}) as n_technologies,

        -- psychographic (survey answers) and needs (support categories): int_customer_*_features
        psychographic_features.latest_interest,
        psychographic_features.latest_value,
        psychographic_features.latest_motivation,
        psychographic_features.interest_set,
        psychographic_features.value_set,
        psychographic_features.motivation_set,
        psychographic_features.n_interests,
        psychographic_features.n_values,
        psychographic_features.n_motivations,
        psychographic_features.n_survey_answers,
        psychographic_features.has_survey_answers,
        needs_features.support_categories_in_window,
        needs_features.top_support_category_in_window,
        needs_features.mean_ticket_sentiment_in_window,
        needs_features.n_open_complaints
    from customers
    cross join as_of
    left join order_summary
        on customers.customer_key = order_summary.customer_key
    left join order_window_features
        on customers.customer_key = order_window_features.customer_key
    left join session_summary
        on customers.customer_key = session_summary.customer_key
    left join line_features
        on customers.customer_key = line_features.customer_key
    left join session_features
        on customers.customer_key = session_features.customer_key
    left join device_category_ranks
        on
            customers.customer_key = device_category_ranks.customer_key
            and device_category_ranks.usage_rank = 1
    left join browser_ranks
        on
            customers.customer_key = browser_ranks.customer_key
            and browser_ranks.usage_rank = 1
    left join cart_features
        on customers.customer_key = cart_features.customer_key
    left join email_features
        on customers.customer_key = email_features.customer_key
    left join support_features
        on customers.customer_key = support_features.customer_key
    left join technology_features
        on customers.account_id = technology_features.account_id
    left join psychographic_features
        on customers.customer_key = psychographic_features.customer_key
    left join needs_features
        on customers.customer_key = needs_features.customer_key
)

select * from final
