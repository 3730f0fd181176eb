-- One row per day from var time_spine_start to var time_spine_end: the calendar MetricFlow joins
-- metrics to (dbt's time spine). dbt.date_spine is dbt's own cross-database macro.
with

days as (
    {{ dbt.date_spine(
        'day',
        "cast('" ~ var('time_spine_start') ~ "' as date)",
        "cast('" ~ var('time_spine_end') ~ "' as date)"
    ) }}
),

final as (
    select cast(date_day as date) as date_day
    from days
)

select * from final
