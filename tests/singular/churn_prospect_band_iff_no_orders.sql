-- The prospect band (no p_alive from customer_clv) goes exactly to the customers without a counted
-- order on or before the as-of date (customer_features.n_orders = 0): customer_clv and
-- customer_features must agree on who has bought.
select
    churn.customer_key,
    churn.churn_band,
    features.n_orders
from {{ ref('customer_churn_risk') }} as churn
inner join {{ ref('customer_features') }} as features
    on churn.customer_key = features.customer_key
where (churn.churn_band = 'prospect') <> (features.n_orders = 0)
