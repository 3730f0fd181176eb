-- One row per pair of consecutive logged as-of dates, entity type and primary-segment move (from
-- -> to, the same segment included): how many entities made it. from_segment_key is null for
-- entities new at the later date, to_segment_key null for those gone by then.
with

primaries as (
    -- after a merge two past people can be one today: the smaller segment key stands for them
    select
        as_of_date,
        entity_type,
        entity_key,
        min(segment_key) as segment_key
    from ({{ segment_log_current_keys() }}) as log_rows
    where is_primary_segment
    group by as_of_date, entity_type, entity_key
),

logged_dates as (
    select
        as_of_date,
        lead(as_of_date) over (order by as_of_date) as next_as_of_date
    from (select distinct as_of_date from primaries) as dates
),

date_pairs as (
    select
        as_of_date as from_as_of_date,
        next_as_of_date as to_as_of_date
    from logged_dates
    where next_as_of_date is not null
),

before_rows as (
    select
        date_pairs.from_as_of_date,
        date_pairs.to_as_of_date,
        primaries.entity_type,
        primaries.entity_key,
        primaries.segment_key
    from date_pairs
    inner join primaries
        on date_pairs.from_as_of_date = primaries.as_of_date
),

after_rows as (
    select
        date_pairs.from_as_of_date,
        date_pairs.to_as_of_date,
        primaries.entity_type,
        primaries.entity_key,
        primaries.segment_key
    from date_pairs
    inner join primaries
        on date_pairs.to_as_of_date = primaries.as_of_date
),

moves as (
    select
        coalesce(before_rows.from_as_of_date, after_rows.from_as_of_date) as from_as_of_date,
        coalesce(before_rows.to_as_of_date, after_rows.to_as_of_date) as to_as_of_date,
        coalesce(before_rows.entity_type, after_rows.entity_type) as entity_type,
        before_rows.segment_key as from_segment_key,
        after_rows.segment_key as to_segment_key
    from before_rows
    full outer join after_rows
        on
            before_rows.from_as_of_date = after_rows.from_as_of_date
            and before_rows.entity_type = after_rows.entity_type
            and before_rows.entity_key = after_rows.entity_key
),

final as (
    select
        from_as_of_date,
        to_as_of_date,
        entity_type,
        from_segment_key,
        to_segment_key,
        cast(count(*) as {{ dbt.type_int() }}) as n_entities
    from moves
    group by from_as_of_date, to_as_of_date, entity_type, from_segment_key, to_segment_key
)

select * from final
