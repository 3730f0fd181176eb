-- Every per-customer count, amount and day count that more than one mart publishes has one value
-- everywhere (they all read int_customer_order_summary / int_customer_session_summary). One row per
-- customer and measure that disagrees, naming the two marts. Null on both sides agrees; a null on
-- one side only is a disagreement. pytest test_customer_layer.py rebuilds with a past as_of_date.
{%- set checks = [
    ('n_orders', 'dim_customers', 'dims.n_orders', 'customer_features', 'features.n_orders'),
    ('n_orders', 'customer_lifecycle', 'lifecycle.n_orders', 'customer_features', 'features.n_orders'),
    ('n_orders', 'customer_value', 'value.n_orders', 'customer_features', 'features.n_orders'),
    ('n_sessions', 'dim_customers', 'dims.n_sessions', 'customer_features', 'features.n_sessions'),
    ('first_order_date', 'dim_customers', 'cast(dims.first_order_at as date)', 'customer_lifecycle', 'lifecycle.first_order_date'),
    ('last_order_date', 'dim_customers', 'cast(dims.last_order_at as date)', 'customer_lifecycle', 'lifecycle.last_order_date'),
    ('days_since_first_order', 'customer_lifecycle', 'lifecycle.days_since_first_order', 'customer_features', 'features.days_since_first_order'),
    ('days_since_first_order', 'customer_clv', 'clv.tenure_days', 'customer_features', 'features.days_since_first_order'),
    ('days_since_last_order', 'customer_lifecycle', 'lifecycle.days_since_last_order', 'customer_features', 'features.days_since_last_order'),
    ('days_since_last_order', 'customer_rfm', 'rfm.recency_days', 'customer_features', 'features.days_since_last_order'),
    ('mean_days_between_orders', 'customer_lifecycle', 'lifecycle.mean_days_between_orders', 'customer_features', 'features.mean_days_between_orders'),
    ('net_revenue', 'customer_value', 'value.historical_clv_amount', 'customer_features', 'features.net_revenue_amount'),
    ('n_support_tickets', 'customer_value', 'value.n_support_tickets', 'customer_features', 'features.n_tickets'),
    ('p_alive', 'customer_clv', 'clv.p_alive', 'customer_churn_risk', 'churn.p_alive'),
] %}
with

joined as (
    select
        features.customer_key,
        {%- for measure, left_mart, left_expression, right_mart, right_expression in checks %}
            {{ left_expression }} as left_{{ loop.index }},
            {{ right_expression }} as right_{{ loop.index }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ ref('customer_features') }} as features
    full outer join {{ ref('dim_customers') }} as dims
        on features.customer_key = dims.customer_key
    full outer join {{ ref('customer_lifecycle') }} as lifecycle
        on features.customer_key = lifecycle.customer_key
    full outer join {{ ref('customer_value') }} as value
        on features.customer_key = value.customer_key
    full outer join {{ ref('customer_rfm') }} as rfm
        on features.customer_key = rfm.customer_key
    full outer join {{ ref('customer_clv') }} as clv
        on features.customer_key = clv.customer_key
    full outer join {{ ref('customer_churn_risk') }} as churn
        on features.customer_key = churn.customer_key
),

disagreements as (
    {%- for measure, left_mart, left_expression, right_mart, right_expression in checks %}
        select
            customer_key,
            '{{ measure }}: {{ left_mart }} vs {{ right_mart }}' as measure,
            cast(left_{{ loop.index }} as {{ dbt.type_string() }}) as left_value,
            cast(right_{{ loop.index }} as {{ dbt.type_string() }}) as right_value
        from joined
        where left_{{ loop.index }} is distinct from right_{{ loop.index }}
        {{ 'union all' if not loop.last }}
    {%- endfor %}
)

select * from disagreements
