-- One row per as-of date, entity and segment it belonged to: segment_membership as each run found
-- it, kept across runs (incremental, never fully refreshed; a run replaces its own as-of date).
-- is_primary_segment marks the entity's primary segment that day. The history, events and
-- transitions are derived from this log, with keys remapped through identity_merge_log.
{{ config(
    materialized='incremental', full_refresh=false, on_schema_change='fail',
    **incremental_replace_config('as_of_date', 'as_of_date')
) }}

with

membership as (
    select
        as_of_date,
        entity_type,
        entity_key,
        segment_key
    from {{ ref('segment_membership') }}
),

primaries as (
    select
        'customer' as entity_type,
        customer_key as entity_key,
        primary_segment_key
    from {{ ref('customer_segments') }}
    union all
    select
        'account' as entity_type,
        account_id as entity_key,
        primary_segment_key
    from {{ ref('account_segments') }}
),

final as (
    select
        membership.as_of_date,
        membership.entity_type,
        membership.entity_key,
        membership.segment_key,
        coalesce(membership.segment_key = primaries.primary_segment_key, false) as is_primary_segment
    from membership
    left join primaries
        on
            membership.entity_type = primaries.entity_type
            and membership.entity_key = primaries.entity_key
)

select * from final
