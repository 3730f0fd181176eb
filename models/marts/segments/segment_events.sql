-- One row per entry into and exit from a segment, at the logged as-of date it was first (entered)
-- or first no longer (exited) seen: the edges of segment_membership_history. Entries on the first
-- logged as-of date are flagged: the log started there, they may be older.
with

history as (
    select
        entity_type,
        entity_key,
        segment_key,
        valid_from,
        valid_to
    from {{ ref('segment_membership_history') }}
),

first_logged as (
    select min(valid_from) as first_as_of_date
    from history
),

events as (
    select
        entity_type,
        entity_key,
        segment_key,
        valid_from as event_date,
        'entered' as event_type
    from history
    union all
    select
        entity_type,
        entity_key,
        segment_key,
        valid_to as event_date,
        'exited' as event_type
    from history
    where valid_to is not null
),

final as (
    select
        events.entity_type || ':' || events.entity_key || ':' || events.segment_key || ':'
        || cast(events.event_date as {{ dbt.type_string() }}) || ':' || events.event_type as segment_event_id,
        events.event_date,
        events.event_type,
        events.entity_type,
        events.entity_key,
        events.segment_key,
        events.event_type = 'entered' and events.event_date = first_logged.first_as_of_date as is_log_start
    from events
    cross join first_logged
)

select * from final
