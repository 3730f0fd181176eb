-- One row per customer (every customer_key of int_customer_spine, prospects included) with every
-- customer feature as of the as-of date: the wide join, for BI, of the feature models by domain
-- (models/intermediate/customer_features), each one row per spine person. Names never contain a
-- window length (decision 47); seed feature_catalog lists every column.
{%- set technology_groups = fixed_key_var_items('customer_features_technology_categories') %}
with

customers as (
    select
        customer_key,
        as_of_date
    from {{ ref('int_customer_spine') }}
),

final as (
    select
        customers.customer_key,
        customers.as_of_date,
        order_features.n_orders_in_short_window,
        order_features.n_orders_in_medium_window,
        order_features.n_orders_in_long_window,
        order_features.n_orders_in_extended_window,
        order_features.n_orders,
        order_features.net_revenue_amount_in_short_window,
        order_features.net_revenue_amount_in_medium_window,
        order_features.net_revenue_amount_in_long_window,
        order_features.net_revenue_amount_in_extended_window,
        order_features.net_revenue_amount,
        order_features.aov_amount,
        order_features.aov_amount_in_window,
        order_features.days_since_last_order,
        order_features.days_since_first_order,
        order_features.mean_days_between_orders,
        order_features.refund_share_of_gross,
        order_features.discount_share_of_gross,
        order_features.discount_code_order_share,
        product_features.on_sale_item_share,
        product_features.new_arrival_item_share,
        product_features.top_category,
        product_features.n_categories,
        web_features.n_sessions_in_short_window,
        web_features.n_sessions_in_medium_window,
        web_features.n_sessions_in_long_window,
        web_features.n_sessions,
        web_features.n_page_views_in_short_window,
        web_features.n_page_views_in_medium_window,
        web_features.n_page_views_in_long_window,
        web_features.days_since_last_session,
        web_features.n_sessions_recent_window,
        web_features.n_sessions_prior_window,
        web_features.session_conversion_rate_in_window,
        web_features.n_content_page_views_in_window,
        web_features.n_content_sessions_in_window,
        web_features.n_abandoned_cart_sessions_in_window,
        web_features.n_abandoned_add_to_carts_in_window,
        web_features.abandoned_cart_amount_in_window,
        technographic_features.primary_device_category,
        technographic_features.primary_browser,
        technographic_features.mobile_session_share,
        technographic_features.n_devices,
        email_features.n_email_sends_in_window,
        email_features.n_email_opens_in_window,
        email_features.n_email_clicks_in_window,
        email_features.n_email_unsubscribes_in_window,
        email_features.email_open_rate_in_window,
        email_features.email_click_rate_in_window,
        email_features.days_since_last_email_engagement,
        email_features.n_email_engagements_recent_window,
        email_features.n_email_engagements_prior_window,
        needs_features.n_tickets_in_window,
        needs_features.n_tickets,
        needs_features.mean_ticket_sentiment,
        needs_features.n_open_tickets,
        {%- for name, _ in technology_groups %}
            technographic_features.has_tech_{{ name }},
        {%- endfor %}
        technographic_features.n_technologies,
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
        needs_features.n_open_complaints,
        demographic_features.gender,
        demographic_features.age_years,
        demographic_features.age_band,
        demographic_features.income_band,
        demographic_features.job_title,
        demographic_features.is_b2b,
        demographic_features.industry,
        demographic_features.employee_band,
        demographic_features.revenue_band,
        geographic_features.country_code,
        geographic_features.country_name,
        geographic_features.region,
        geographic_features.city,
        geographic_features.postcode,
        geographic_features.n_shipping_countries
    from customers
    inner join {{ ref('int_customer_order_features') }} as order_features
        on customers.customer_key = order_features.customer_key
    inner join {{ ref('int_customer_product_features') }} as product_features
        on customers.customer_key = product_features.customer_key
    inner join {{ ref('int_customer_web_features') }} as web_features
        on customers.customer_key = web_features.customer_key
    inner join {{ ref('int_customer_technographic_features') }} as technographic_features
        on customers.customer_key = technographic_features.customer_key
    inner join {{ ref('int_customer_email_features') }} as email_features
        on customers.customer_key = email_features.customer_key
    inner join {{ ref('int_customer_needs_features') }} as needs_features
        on customers.customer_key = needs_features.customer_key
    inner join {{ ref('int_customer_psychographic_features') }} as psychographic_features
        on customers.customer_key = psychographic_features.customer_key
    inner join {{ ref('int_customer_demographic_features') }} as demographic_features
        on customers.customer_key = demographic_features.customer_key
    inner join {{ ref('int_customer_geographic_features') }} as geographic_features
        on customers.customer_key = geographic_features.customer_key
)

select * from final
