-- What staging rejected, by source table and reason: `dbt compile -s quarantine_summary`, then run
-- the compiled SQL, or `dbt show -s quarantine_summary`.
with

rejected as (
    select
        source_system,
        source_table,
        disposition,
        reason_code
    from {{ ref('quarantine_rows') }}
),

summary as (
    select
        source_system,
        source_table,
        disposition,
        reason_code,
        count(*) as n_rows
    from rejected
    group by
        source_system,
        source_table,
        disposition,
        reason_code
)

select * from summary
order by source_system, source_table, disposition, reason_code
