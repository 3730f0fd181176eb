-- One row per as-of date and customer_key: the persons as resolved at each as-of date. Kept across
-- runs (full_refresh: false) so identity_merge_log can tell which keys disappeared; a rebuild for the
-- same as-of date replaces that date's rows.
{{ config(
    materialized='incremental', full_refresh=false, on_schema_change='fail',
    **incremental_replace_config('as_of_date', 'as_of_date')
) }}

with

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

identifiers as (
    select
        customer_key,
        identifier_type,
        is_anchor
    from {{ ref('int_identity_identifiers') }}
    where customer_key is not null
),

per_customer as (
    select
        customer_key,
        max(case when is_anchor then identifier_type end) as anchor_identifier_type,
        count(*) as n_identifiers
    from identifiers
    group by customer_key
),

final as (
    select
        as_of.as_of_date,
        per_customer.customer_key,
        per_customer.anchor_identifier_type,
        per_customer.n_identifiers
    from per_customer
    cross join as_of
)

select * from final
