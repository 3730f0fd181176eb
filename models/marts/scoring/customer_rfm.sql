-- RFM scores and segment per customer (every customer_key of dim_customers) as of the as-of date.
-- Scores rank buyers against each other (docs block rfm_scores): R among all buyers, F and M among
-- buyers with an order in the window (the others score 1). The segment comes from the seed
-- rfm_segments by (r_score, f_score). Customers without a counted order are Prospects (cell 0, 0).
{%- set levels = checked_var('rfm_score_levels') %}

with

customers as (
    select customer_key
    from {{ ref('dim_customers') }}
),

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

order_summary as (
    select
        customer_key,
        days_since_last_order,
        n_orders_window,
        net_revenue_window
    from {{ ref('int_customer_order_summary') }}
),

segments as (
    select
        r_score,
        f_score,
        segment_code,
        segment_name
    from {{ ref('rfm_segments') }}
),

ranked as (
    select
        customer_key,
        days_since_last_order,
        n_orders_window,
        net_revenue_window,
        n_orders_window > 0 as is_active_in_window,
        rank() over (order by days_since_last_order desc) as recency_rank,
        rank() over (partition by n_orders_window > 0 order by n_orders_window asc) as frequency_rank,
        rank() over (partition by n_orders_window > 0 order by net_revenue_window asc) as monetary_rank,
        count(*) over () as n_buyers,
        count(case when n_orders_window > 0 then customer_key end) over () as n_active_in_window
    from order_summary
),

scored as (
    select
        customer_key,
        days_since_last_order,
        n_orders_window,
        net_revenue_window,
        {{ score_by_rank('recency_rank', 'n_buyers', levels) }} as r_score,
        case
            when is_active_in_window then {{ score_by_rank('frequency_rank', 'n_active_in_window', levels) }}
            else 1
        end as f_score,
        case
            when is_active_in_window then {{ score_by_rank('monetary_rank', 'n_active_in_window', levels) }}
            else 1
        end as m_score
    from ranked
),

final as (
    select
        customers.customer_key,
        as_of.as_of_date,
        scored.customer_key is not null as has_orders,
        scored.days_since_last_order as recency_days,
        coalesce(scored.n_orders_window, 0) as frequency,
        coalesce(scored.net_revenue_window, 0) as monetary_amount,
        scored.r_score,
        scored.f_score,
        scored.m_score,
        {%- set text_type = dbt.type_string() %}
        {%- set score_texts = [] %}
        {%- for score in ['r_score', 'f_score', 'm_score'] %}
            {%- do score_texts.append('cast(scored.' ~ score ~ ' as ' ~ text_type ~ ')') %}
        {%- endfor %}
        {{ dbt.concat(score_texts) }} as rfm_cell,
        segments.segment_code as rfm_segment_code,
        segments.segment_name as rfm_segment
    from customers
    cross join as_of
    left join scored
        on customers.customer_key = scored.customer_key
    left join segments
        on
            coalesce(scored.r_score, 0) = segments.r_score
            and coalesce(scored.f_score, 0) = segments.f_score
)

select * from final
