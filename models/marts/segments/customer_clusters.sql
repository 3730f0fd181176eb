-- One row per buying customer: the k-means micro-cluster whose centroid (customer_cluster_centroids)
-- lies nearest to the customer's standardized features (customer_cluster_inputs), by squared
-- Euclidean distance; equal distances go to the smaller label.
{%- set features = checked_var('cluster_features') %}

with

inputs as (
    select
        {%- for feature in features %}
            z_{{ feature }},
        {%- endfor %}
        customer_key
    from {{ ref('customer_cluster_inputs') }}
),

centroids as (
    select
        {%- for feature in features %}
            max(case when feature_name = '{{ feature }}' then centroid_z end) as c_{{ feature }},
        {%- endfor %}
        cluster_label
    from {{ ref('customer_cluster_centroids') }}
    group by cluster_label
),

distances as (
    select
        inputs.customer_key,
        centroids.cluster_label,
        {%- for feature in features %}
            power(inputs.z_{{ feature }} - centroids.c_{{ feature }}, 2) +
        {%- endfor %}
        0 as squared_distance
    from inputs
    cross join centroids
),

ranked as (
    select
        customer_key,
        cluster_label,
        squared_distance,
        row_number() over (partition by customer_key order by squared_distance asc, cluster_label asc) as nearness
    from distances
),

final as (
    select
        customer_key,
        cast(cluster_label as {{ dbt.type_int() }}) as cluster_label,
        'cluster_' || cast(cluster_label as {{ dbt.type_string() }}) as cluster_key,
        sqrt(squared_distance) as distance_to_centroid
    from ranked
    where nearness = 1
)

select * from final
