-- depends_on: {{ ref('quarantine_reasons') }}
-- Incremental: stored under its event's day (_partition_date). A run rebuilds whole days touched by
-- items loaded since the last run or by their events (an event that arrives after its items turns
-- them from orphan_row into usable rows, and moves them from their load day to the event's day).
{{ config(
    materialized='incremental', on_schema_change='fail',
    **incremental_replace_config('_partition_date', '_row_fingerprint')
) }}

with

source as (
    select raw_rows.* from {{ raw_source('ga4', 'event_items') }} as raw_rows
),

-- items belong to their event: an item whose event is missing or rejected cannot be placed in time
-- or converted to the base currency
usable_events as (
    select
        event_id,
        _partition_date
    from {{ ref('base_ga4__events') }}
    where _quarantine_reason is null and _dedupe_rank = 1
),

typed as (
    select
        nullif(trim(source.event_id), '') as event_id,
        source.item_index,
        nullif(trim(source.item_id), '') as item_id,
        nullif(trim(source.item_name), '') as item_name,
        nullif(trim(source.item_category), '') as item_category,
        cast(source.price as {{ money_type(wide=true) }}) as price_local,
        source.quantity,
        coalesce(source.item_on_sale, false) as is_on_sale,
        source._loaded_at,
        usable_events.event_id is not null as has_usable_event,
        {{ row_fingerprint('source') }} as _row_fingerprint,
        -- an item without a usable event goes under its load day
        coalesce(usable_events._partition_date, cast(source._loaded_at as date)) as _partition_date
    from source
    -- usable_events has one row per event_id, so no fan-out
    left join usable_events
        on trim(source.event_id) = usable_events.event_id
),

{% if is_incremental() %}
    {{ child_rebuilt_days(['event_id'], [('base_ga4__events', 'event_id')]) }}

{% endif %}
validated as (
    select
        *,
        case
            when event_id is null or item_index is null then 'missing_key'
            when price_local < 0 or quantity < 0 then 'negative_amount'
            when not has_usable_event then 'orphan_row'
        end as _quarantine_reason
    from typed
    {% if is_incremental() %}
        where _partition_date in (select rebuilt_days._partition_date from rebuilt_days)
    {% endif %}
),

ranked as (
    -- items come with their event: a re-delivered event repeats them, keep the first delivery
    {{ rank_duplicates('validated', ['event_id', 'item_index'], '_loaded_at asc nulls last') }}
),

final as (
    select
        event_id,
        item_index,
        item_id,
        item_name,
        item_category,
        price_local,
        quantity,
        is_on_sale,
        _loaded_at,
        {{ dbt.concat([
            "coalesce(event_id, '')",
            "'|'",
            "coalesce(cast(item_index as " ~ dbt.type_string() ~ "), '')"
        ]) }} as _natural_key,
        _quarantine_reason,
        _dedupe_rank,
        _row_fingerprint,
        _partition_date
    from ranked
)

select * from final
{{ write_partitions_whole('_partition_date') }}
