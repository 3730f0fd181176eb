{#- Nothing is lost: rows in the raw source = rows in the staging model + rows quarantined +
    rows deduplicated (both recorded in quarantine_rows). Returns one row (the failure) when the
    counts differ, showing every term. -#}
{% test rows_reconcile_with_source(model, source_name, table_name) %}

with

rows_in as (
    select count(*) as n from {{ raw_source(source_name, table_name) }} as raw_rows
),

rows_out as (
    select count(*) as n from {{ model }}
),

rejected as (
    select
        sum(case when disposition = 'quarantined' then 1 else 0 end) as n_quarantined,
        sum(case when disposition = 'deduplicated' then 1 else 0 end) as n_deduplicated
    from {{ ref('quarantine_rows') }}
    where source_system = '{{ source_name }}' and source_table = '{{ table_name }}'
),

comparison as (
    select
        rows_in.n as rows_in,
        rows_out.n as rows_out,
        coalesce(rejected.n_quarantined, 0) as rows_quarantined,
        coalesce(rejected.n_deduplicated, 0) as rows_deduplicated
    from rows_in
    cross join rows_out
    cross join rejected
)

select *
from comparison
where rows_in <> rows_out + rows_quarantined + rows_deduplicated

{% endtest %}
