-- Every customer of dim_customers has a row in customer_churn_risk, so exactly one churn band (the
-- unique and relationships tests on customer_key cover duplicates and strays).
select dim_customers.customer_key
from {{ ref('dim_customers') }} as dim_customers
left join {{ ref('customer_churn_risk') }} as churn
    on dim_customers.customer_key = churn.customer_key
where churn.customer_key is null
