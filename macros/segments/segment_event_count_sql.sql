{#- segment_event_count_sql(count): the aggregate counting one event condition of segment_compile
    (context.event_counts) over its source model, aliased source_rows and cross-joined with as_of:
    distinct event ids where the event's match column holds its value, the date lies in the window
    (after as_of_date − days, when there is a window) and every property filter holds. -#}
{% macro segment_event_count_sql(count) -%}
    {%- set event = count.event -%}
    {%- set tests = [] -%}
    {%- if event.match_column -%}
        {%- do tests.append('source_rows.' ~ event.match_column ~ ' = ' ~ (event.match_value
            if event.match_type == 'boolean' else string_literal(event.match_value))) -%}
    {%- endif -%}
    {%- if count.days -%}
        {%- do tests.append('source_rows.' ~ event.date_column ~ ' > '
            ~ dbt.dateadd('day', -count.days, 'as_of.as_of_date')) -%}
    {%- endif -%}
    {%- do tests.extend(count.filter_sqls) -%}
    {{ return('count(distinct case when ' ~ (tests | join(' and ') if tests else 'true') ~ ' then source_rows.'
        ~ event.id_column ~ ' end)') }}
{%- endmacro %}
