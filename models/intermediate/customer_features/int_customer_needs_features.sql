-- One row per person of int_customer_spine (prospects included) with their support needs from the
-- tickets (int_support_tickets_resolved) created on or before the as-of date. "In the window" = the
-- last customer_features_support_window_days days: days_ago = as_of_date - created_date in
-- [0, N - 1], as in customer_features. Column names are fixed; the window length is documented.
-- Open statuses and complaint categories are vars (codes of seed code_sets).
{%- set support_window = checked_var('customer_features_support_window_days') %}
{%- set open_statuses = checked_var('customer_features_open_ticket_statuses') %}
{%- set complaint_categories = checked_var('customer_features_complaint_categories') %}
{%- set is_open = "status in ('" ~ open_statuses | join("', '") ~ "')" %}
{%- set is_complaint = "category in ('" ~ complaint_categories | join("', '") ~ "')" %}
{%- set count_type = dbt.type_bigint() %}
{%- set rate_type = type_double() %}
{%- set text_type = dbt.type_string() %}

with

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

customers as (
    select customer_key
    from {{ ref('int_customer_spine') }}
),

support_tickets as (
    select
        customer_key,
        ticket_id,
        category,
        status,
        sentiment_score,
        created_date
    from {{ ref('int_support_tickets_resolved') }}
    where customer_key is not null
),

tickets_dated as (
    {%- set days_ago = dbt.datediff('support_tickets.created_date', 'as_of.as_of_date', 'day') %}
    select
        support_tickets.customer_key,
        support_tickets.ticket_id,
        support_tickets.category,
        support_tickets.status,
        support_tickets.sentiment_score,
        {{ days_ago }} < {{ support_window }} as is_in_window,
        case
            when {{ days_ago }} < {{ support_window }} then support_tickets.category
        end as category_in_window
    from support_tickets
    cross join as_of
    where support_tickets.created_date <= as_of.as_of_date
),

-- status is the ticket's latest known one (staging keeps the latest version), not the status it had
-- on the as-of date
ticket_features as (
    select
        customer_key,
        count(case when is_in_window then ticket_id end) as n_tickets_in_window,
        count(ticket_id) as n_tickets,
        -- exact decimal sums, then one division in double: the same on every engine and in any row
        -- order (an avg of doubles depends on the order it adds them in)
        cast(sum(sentiment_score) as {{ rate_type }}) / nullif(count(sentiment_score), 0) as mean_ticket_sentiment,
        count(case when {{ is_open }} then ticket_id end) as n_open_tickets,
        {{ string_agg_distinct_sorted('category_in_window', "','") }} as support_categories_in_window,
        cast(sum(case when is_in_window then sentiment_score end) as {{ rate_type }})
        / nullif(count(case when is_in_window then sentiment_score end), 0) as mean_ticket_sentiment_in_window,
        count(
            case when {{ is_complaint }} and {{ is_open }} then ticket_id end
        ) as n_open_complaints
    from tickets_dated
    group by customer_key
),

-- most tickets in the window first; same count: the category that sorts first
categories_ranked as (
    select
        customer_key,
        category,
        row_number() over (
            partition by customer_key
            order by count(ticket_id) desc, category asc
        ) as category_rank
    from tickets_dated
    where is_in_window
    group by customer_key, category
),

final as (
    select
        cast(customers.customer_key as {{ text_type }}) as customer_key,
        cast(as_of.as_of_date as date) as as_of_date,
        cast(ticket_features.support_categories_in_window as {{ text_type }}) as support_categories_in_window,
        cast(categories_ranked.category as {{ text_type }}) as top_support_category_in_window,
        cast(coalesce(ticket_features.n_tickets_in_window, 0) as {{ count_type }}) as n_tickets_in_window,
        cast(ticket_features.mean_ticket_sentiment_in_window as {{ rate_type }}) as mean_ticket_sentiment_in_window,
        cast(coalesce(ticket_features.n_open_complaints, 0) as {{ count_type }}) as n_open_complaints,
        cast(coalesce(ticket_features.n_tickets, 0) as {{ count_type }}) as n_tickets,
        cast(ticket_features.mean_ticket_sentiment as {{ rate_type }}) as mean_ticket_sentiment,
        -- status is the latest known one (see above)
        cast(coalesce(ticket_features.n_open_tickets, 0) as {{ count_type }}) as n_open_tickets
    from customers
    cross join as_of
    left join ticket_features
        on customers.customer_key = ticket_features.customer_key
    left join categories_ranked
        on
            customers.customer_key = categories_ranked.customer_key
            and categories_ranked.category_rank = 1
)

select * from final
