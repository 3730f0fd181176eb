-- One row per stay of an entity in a segment: from the first logged as-of date it was a member
-- (valid_from) to the first logged as-of date it no longer was (valid_to, exclusive; null while it
-- still is). Rebuilt each run from segment_membership_log, keys remapped to today's people.
with

log_rows as (
    {{ segment_log_current_keys() }}
),

logged_dates as (
    select
        as_of_date,
        row_number() over (order by as_of_date) as date_number
    from (select distinct as_of_date from log_rows) as dates
),

-- consecutive logged dates of the same stay share date_number - stay_row_number
numbered as (
    select
        log_rows.entity_type,
        log_rows.entity_key,
        log_rows.segment_key,
        log_rows.as_of_date,
        logged_dates.date_number,
        logged_dates.date_number - row_number() over (
            partition by log_rows.entity_type, log_rows.entity_key, log_rows.segment_key
            order by log_rows.as_of_date
        ) as stay_number
    from log_rows
    inner join logged_dates
        on log_rows.as_of_date = logged_dates.as_of_date
),

stays as (
    select
        entity_type,
        entity_key,
        segment_key,
        min(as_of_date) as valid_from,
        max(date_number) as last_date_number,
        count(*) as n_as_of_dates
    from numbered
    group by entity_type, entity_key, segment_key, stay_number
),

final as (
    select
        stays.entity_type || ':' || stays.entity_key || ':' || stays.segment_key || ':'
        || cast(stays.valid_from as {{ dbt.type_string() }}) as membership_stay_id,
        stays.entity_type,
        stays.entity_key,
        stays.segment_key,
        stays.valid_from,
        next_dates.as_of_date as valid_to,
        next_dates.as_of_date is null as is_current,
        cast(stays.n_as_of_dates as {{ dbt.type_int() }}) as n_as_of_dates
    from stays
    left join logged_dates as next_dates
        on stays.last_date_number + 1 = next_dates.date_number
)

select * from final
