-- One row per as-of date, customer segment, defining feature and bucket: how the segment's members
-- spread over the buckets of each feature its own rule reads (segment_compile's segment_features),
-- kept across runs like segment_membership_log (incremental, never fully refreshed; a run replaces
-- its own as-of date). Buckets are macro feature_bucket_sql's, the same on every run, so two dates
-- compare without their raw values: segment_feature_drift computes the population stability index
-- between quarters. Members without a row in the feature's mart fall in bucket '(missing)'.
-- depends_on: {{ ref('feature_catalog') }} {{ ref('segment_event_types') }} {{ ref('segment_event_properties') }}
-- depends_on: {{ ref('customer_features') }} {{ ref('customer_rfm') }} {{ ref('customer_lifecycle') }}
-- depends_on: {{ ref('customer_value') }} {{ ref('customer_clv') }} {{ ref('customer_churn_risk') }}
-- depends_on: {{ ref('dim_customers') }} {{ ref('account_features') }}
{{ config(
    materialized='incremental', full_refresh=false, on_schema_change='fail',
    **incremental_replace_config('as_of_date', 'as_of_date')
) }}
{%- set compiled = segment_compile() %}
{%- set pairs = [] %}
{%- for definition in compiled.definitions if definition.entity == 'customer' %}
    {%- for name in compiled.segment_features.get(definition.key, []) %}
        {%- do pairs.append((definition.key, name)) %}
    {%- endfor %}
{%- endfor %}
{%- set used = pairs | map(attribute=1) | unique | sort | list %}

with

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

members as (
    select
        entity_key as customer_key,
        segment_key
    from {{ ref('segment_membership') }}
    where entity_type = 'customer'
),

defining_features as (
    {%- for segment_key, feature_name in pairs %}
    select
        {{ string_literal(segment_key) }} as segment_key,
        {{ string_literal(feature_name) }} as feature_name
    {{- '\n    union all' if not loop.last }}
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as segment_key,
        cast(null as {{ dbt.type_string() }}) as feature_name
    from as_of
    where 1 = 0
    {%- endfor %}
),

feature_buckets as (
    {%- for name in used %}
    {%- set feature = compiled.features[name] %}
    select
        customer_key,
        {{ string_literal(name) }} as feature_name,
        {{ feature_bucket_sql(feature.column, feature.data_type, feature.unit) }} as bucket
    from {{ ref(feature.model) }}
    {{- '\n    union all' if not loop.last }}
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as customer_key,
        cast(null as {{ dbt.type_string() }}) as feature_name,
        cast(null as {{ dbt.type_string() }}) as bucket
    from as_of
    where 1 = 0
    {%- endfor %}
),

bins as (
    select
        members.segment_key,
        defining_features.feature_name,
        coalesce(feature_buckets.bucket, '(missing)') as bucket,
        count(*) as n_members
    from members
    inner join defining_features
        on members.segment_key = defining_features.segment_key
    left join feature_buckets
        on
            members.customer_key = feature_buckets.customer_key
            and defining_features.feature_name = feature_buckets.feature_name
    group by members.segment_key, defining_features.feature_name, coalesce(feature_buckets.bucket, '(missing)')
),

final as (
    select
        as_of.as_of_date,
        -- typed as the contract's varchar: on PostgreSQL a literal is text, and an incremental run
        -- would otherwise see a type change against the table the contract created
        {{ dbt.cast('bins.segment_key', 'varchar') }} as segment_key,
        {{ dbt.cast('bins.feature_name', 'varchar') }} as feature_name,
        {{ dbt.cast('bins.bucket', 'varchar') }} as bucket,
        cast(bins.n_members as {{ dbt.type_bigint() }}) as n_members,
        {{ round_double('cast(bins.n_members as ' ~ type_double() ~ ') / sum(bins.n_members) over ('
            ~ 'partition by bins.segment_key, bins.feature_name)', 6) }} as member_share
    from bins
    cross join as_of
)

select * from final
