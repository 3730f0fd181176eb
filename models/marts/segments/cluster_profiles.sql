-- One row per k-means micro-cluster: its size and share of the buying customers, and a description
-- in plain words: the var cluster_profile_top_features features whose centroid lies furthest from
-- the average customer, "high" or "low", with the centroid's z-score (standard deviations from the
-- mean of buying customers).
{%- set top_n = checked_var('cluster_profile_top_features') %}

with

centroids as (
    select
        cluster_label,
        feature_name,
        centroid_z,
        n_clusters,
        silhouette
    from {{ ref('customer_cluster_centroids') }}
),

members as (
    select
        cluster_label,
        count(*) as n_customers
    from {{ ref('customer_clusters') }}
    group by cluster_label
),

total as (
    select sum(n_customers) as n_customers
    from members
),

standing_out as (
    select
        cluster_label,
        feature_name,
        centroid_z,
        row_number() over (partition by cluster_label order by abs(centroid_z) desc, feature_name asc) as standout_rank
    from centroids
),

described as (
    select
        cluster_label,
        {{ dbt.listagg(
            "case when centroid_z >= 0 then 'high ' else 'low ' end || feature_name || ' (z '"
            ~ " || case when centroid_z >= 0 then '+' else '' end"
            ~ " || cast(cast(centroid_z as decimal(10, 2)) as " ~ dbt.type_string() ~ ") || ')'",
            "', '",
            "order by standout_rank"
        ) }} as description
    from standing_out
    where standout_rank <= {{ top_n }}
    group by cluster_label
),

cluster_facts as (
    select distinct
        cluster_label,
        n_clusters,
        silhouette
    from centroids
),

final as (
    select
        'cluster_' || cast(cluster_facts.cluster_label as {{ dbt.type_string() }}) as cluster_key,
        cast(cluster_facts.cluster_label as {{ dbt.type_int() }}) as cluster_label,
        cast(coalesce(members.n_customers, 0) as {{ dbt.type_int() }}) as n_customers,
        cast(coalesce(members.n_customers, 0) as {{ type_double() }}) / total.n_customers as customer_share,
        described.description,
        cast(cluster_facts.n_clusters as {{ dbt.type_int() }}) as n_clusters,
        cluster_facts.silhouette
    from cluster_facts
    cross join total
    left join members
        on cluster_facts.cluster_label = members.cluster_label
    left join described
        on cluster_facts.cluster_label = described.cluster_label
)

select * from final
