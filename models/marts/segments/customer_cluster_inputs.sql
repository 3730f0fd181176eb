-- One row per buying customer (a counted order; test accounts left out) with each clustering
-- feature of var cluster_features standardized: z = (x − mean) / standard deviation over these
-- customers, after sign(x) · ln(1 + |x|) for the skewed features of var cluster_log_features, and
-- with missing values at the mean (z = 0). What k-means (customer_cluster_centroids) fits and customer_clusters
-- assigns: one transformation, in SQL, for both.
{%- set features = checked_var('cluster_features') %}
{%- set log_features = checked_var('cluster_log_features') %}

with

buyers as (
    select customer_key
    from {{ ref('dim_customers') }}
    where not is_test_account and n_orders > 0
),

features as (
    select
        {%- for feature in features %}
            {%- set source = 'customer_rfm' if feature in ['r_score', 'f_score', 'm_score'] else 'customer_features' %}
            {%- set value = 'cast(' ~ source ~ '.' ~ feature ~ ' as ' ~ type_double() ~ ')' %}
            {#- sign-keeping ln(1 + |x|): net revenue can be negative after refunds #}
            {%- set expression = 'sign(' ~ value ~ ') * ln(1 + abs(' ~ value ~ '))'
                if feature in log_features else value %}
            {{ expression }} as {{ feature }},
        {%- endfor %}
        customer_features.customer_key
    from {{ ref('customer_features') }} as customer_features
    inner join buyers
        on customer_features.customer_key = buyers.customer_key
    inner join {{ ref('customer_rfm') }} as customer_rfm
        on customer_features.customer_key = customer_rfm.customer_key
),

-- sums in decimal: a sum of doubles depends on the order the engine adds them in (threads), and the
-- last bit would move every z-score and the k-means fit from one build to the next
means as (
    select
        {%- for feature in features %}
            cast(sum(cast({{ feature }} as decimal(38, 12))) as {{ type_double() }})
            / nullif(count({{ feature }}), 0) as mean_{{ feature }},
        {%- endfor %}
        count(*) as n_customers
    from features
),

moments as (
    select
        {%- for feature in features %}
            means.mean_{{ feature }},
            sqrt(
                cast(
                    sum(cast(power(features.{{ feature }} - means.mean_{{ feature }}, 2) as decimal(38, 12)))
                    as {{ type_double() }}
                )
                / nullif(count(features.{{ feature }}) - 1, 0)
            ) as sd_{{ feature }},
        {%- endfor %}
        means.n_customers
    from features
    cross join means
    group by
        {%- for feature in features %}
            means.mean_{{ feature }},
        {%- endfor %}
        means.n_customers
),

final as (
    select
        {%- for feature in features %}
            coalesce(
                (features.{{ feature }} - moments.mean_{{ feature }}) / nullif(moments.sd_{{ feature }}, 0), 0
            ) as z_{{ feature }},
        {%- endfor %}
        features.customer_key
    from features
    cross join moments
)

select * from final
