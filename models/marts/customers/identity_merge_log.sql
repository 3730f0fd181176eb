-- Keys that existed at the previous as-of date in identity_key_history and no longer do, with where
-- their person went: merged into the surviving key (the person first seen earliest keeps its key),
-- or retired because the anchor identifier is now blocked or gone (e.g. erased).
{{ config(
    materialized='incremental', full_refresh=false, on_schema_change='fail',
    **incremental_replace_config('as_of_date', 'as_of_date')
) }}

with

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

history as (
    select
        as_of_date,
        customer_key
    from {{ ref('identity_key_history') }}
),

previous_as_of as (
    select max(history.as_of_date) as previous_as_of_date
    from history
    inner join as_of
        on history.as_of_date < as_of.as_of_date
),

previous_keys as (
    select
        history.as_of_date as previous_as_of_date,
        history.customer_key
    from history
    inner join previous_as_of
        on history.as_of_date = previous_as_of.previous_as_of_date
),

-- the anchor of a key is the person identifier whose hash it is
anchor_nodes as (
    select
        node_id,
        node_hash,
        is_blocked
    from {{ ref('int_identity_nodes') }}
    where node_hash is not null
),

current_keys as (
    select
        node_id,
        customer_key
    from {{ ref('int_identity_identifiers') }}
),

traced as (
    select
        previous_keys.previous_as_of_date,
        previous_keys.customer_key as retired_customer_key,
        current_keys.customer_key as surviving_customer_key,
        case
            when anchor_nodes.node_id is null then 'anchor_gone'
            when anchor_nodes.is_blocked then 'anchor_blocked'
            else 'merged'
        end as merge_reason
    from previous_keys
    left join anchor_nodes
        on previous_keys.customer_key = anchor_nodes.node_hash
    left join current_keys
        on anchor_nodes.node_id = current_keys.node_id
    where current_keys.customer_key is null or current_keys.customer_key <> previous_keys.customer_key
),

final as (
    select
        as_of.as_of_date,
        traced.previous_as_of_date,
        traced.retired_customer_key,
        traced.surviving_customer_key,
        traced.merge_reason
    from traced
    cross join as_of
)

select * from final
