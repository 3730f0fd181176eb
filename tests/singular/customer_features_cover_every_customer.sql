-- Every person of dim_customers has a row in customer_features, prospects included (the
-- relationships test on customer_key covers the other direction).
select dim_customers.customer_key
from {{ ref('dim_customers') }} as dim_customers
left join {{ ref('customer_features') }} as customer_features
    on dim_customers.customer_key = customer_features.customer_key
where customer_features.customer_key is null
