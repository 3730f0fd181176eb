-- The feature catalog and the tables agree: every catalog entry names a column that exists in its
-- model, and every column of customer_features and account_features (keys and names aside) has an
-- entry. One row per problem.
-- depends_on: {{ ref('customer_features') }} {{ ref('dim_customers') }} {{ ref('customer_rfm') }}
-- depends_on: {{ ref('customer_lifecycle') }} {{ ref('customer_value') }} {{ ref('customer_clv') }}
-- depends_on: {{ ref('customer_churn_risk') }} {{ ref('account_features') }}
{%- set models = ['customer_features', 'dim_customers', 'customer_rfm', 'customer_lifecycle', 'customer_value',
    'customer_clv', 'customer_churn_risk', 'account_features'] %}
{%- set not_features = ['customer_key', 'account_id', 'account_name', 'as_of_date'] %}
with

catalog as (
    select
        feature_name,
        model,
        column_name
    from {{ ref('feature_catalog') }}
),

built_columns as (
    {{ built_columns_sql(models) }}
),

entries_without_a_column as (
    select
        catalog.feature_name,
        catalog.model as model_name,
        catalog.column_name,
        'catalog entry names a column the model does not have' as problem
    from catalog
    left join built_columns
        on
            catalog.model = built_columns.model_name
            and catalog.column_name = built_columns.column_name
    where built_columns.column_name is null
),

features_without_an_entry as (
    select
        built_columns.column_name as feature_name,
        built_columns.model_name,
        built_columns.column_name,
        'customer_features or account_features column missing from the catalog' as problem
    from built_columns
    left join catalog
        on
            built_columns.model_name = catalog.model
            and built_columns.column_name = catalog.column_name
    where
        built_columns.model_name in ('customer_features', 'account_features')
        and built_columns.column_name not in (
            {%- for column in not_features %}
                '{{ column }}'{{ ',' if not loop.last }}
            {%- endfor %}
        )
        and catalog.column_name is null
)

select * from entries_without_a_column
union all
select * from features_without_an_entry
