{#- segment_event_ctes(compiled): the CTEs (each followed by a comma) counting, per person
    (customer_key), every event condition of every segment (compiled = segment_compile()), for all
    entity types at once: one scan per event source model, events_from_<model>, with one filtered
    count(*) per condition (the source's one row per event matches, macro segment_event_match_sql),
    and for each condition filtering on an item property its own events_for_<alias>, counting the
    distinct events with a matching item among the rows that match. Needs a CTE as_of; event_windows
    holds each window's start. An account sums the counts of its people (macro segment_entity_ctes):
    each event belongs to one person. -#}
{% macro segment_event_ctes(compiled) -%}
    {%- set by_source = {} -%}
    {%- set window_days = [] -%}
    {%- for count in compiled.event_counts -%}
        {%- if not count.by_item -%}
            {%- do by_source.setdefault(count.event.source_model, []).append(count) -%}
        {%- endif -%}
        {%- if count.days and count.days not in window_days -%}
            {%- do window_days.append(count.days) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if compiled.event_counts %}

-- each window's first excluded day, computed once: a date column compared with a date per event row
-- is cheap, date arithmetic per row over 50M events is not
event_windows as (
    select
        {%- for days in window_days | sort %}
        cast({{ dbt.dateadd('day', -days, 'as_of_date') }} as date) as window_start_{{ days }},
        {%- endfor %}
        as_of_date
    from as_of
),
    {%- endif -%}
    {%- for source_model, counts in by_source.items() | sort %}

{{ counts[0].relation }} as (
    select
        {%- for count in counts %}
            {%- set match = segment_event_match_sql(count) %}
        {{ 'count(*)' if match == 'true' else 'count(*) filter (where ' ~ match ~ ')' }} as {{ count.alias }},
        {%- endfor %}
        source_rows.customer_key
    from {{ ref(source_model) }} as source_rows
    cross join event_windows as windows
    where
        source_rows.customer_key is not null
        and source_rows.{{ counts[0].event.date_column }} <= windows.as_of_date
    group by source_rows.customer_key
),
    {%- endfor %}
    {%- for count in compiled.event_counts if count.by_item %}

{{ count.relation }} as (
    select
        count(distinct source_rows.{{ count.event.id_column }}) as {{ count.alias }},
        source_rows.customer_key
    from {{ ref(count.event.source_model) }} as source_rows
    cross join event_windows as windows
    where
        source_rows.customer_key is not null
        and source_rows.{{ count.event.date_column }} <= windows.as_of_date
        and {{ segment_event_match_sql(count) }}
    group by source_rows.customer_key
),
    {%- endfor %}
{%- endmacro %}
