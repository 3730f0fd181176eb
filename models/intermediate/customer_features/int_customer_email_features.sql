-- One row per person of int_customer_spine with their email features as of the as-of date, from the
-- resolved email events (int_email_events_resolved): sends, opens, clicks and unsubscribes in the
-- email window, campaign open and click rates, recency and the engagement trend windows.
{%- set email_window = checked_var('customer_features_email_window_days') %}
{%- set trend_recent_days = checked_var('churn_recent_window_days') %}
{%- set trend_prior_end_days = trend_recent_days + checked_var('churn_prior_window_days') %}
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

final as (
    select
        cast(customers.customer_key as {{ dbt.type_string() }}) as customer_key,
        cast(as_of.as_of_date as date) as as_of_date,
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
        ) as n_email_engagements_prior_window
    from customers
    cross join as_of
    left join email_features
        on customers.customer_key = email_features.customer_key
)

select * from final
