-- Every event of int_web_events_resolved has exactly one row flagged is_event_row: segment event
-- conditions without item filters count those rows, so a second flag would count an event twice
-- and a missing one would drop it. One row per event breaking it.
with

flags_per_event as (
    select
        event_id,
        sum(case when is_event_row then 1 else 0 end) as n_event_rows
    from {{ ref('int_web_events_resolved') }}
    group by event_id
),

final as (
    select
        event_id,
        n_event_rows
    from flags_per_event
    where n_event_rows <> 1
)

select * from final
