{#- segment_event_match_sql(count): the SQL boolean picking out, from an event source model aliased
    source_rows and cross-joined with event_windows as windows (macro segment_event_ctes), the rows one
    event condition of segment_compile (context.event_counts) counts: the event's match column holds
    its value, the date lies in the window (after window_start_<days> = as_of_date − days, when there
    is a window) and every property filter holds. Unless
    the condition filters on an item property (count.by_item), only the source's one row per event
    (event_row_column of seed segment_event_types) matches, so a plain count counts events. -#}
{% macro segment_event_match_sql(count) -%}
    {%- set event = count.event -%}
    {%- set tests = [] -%}
    {%- if event.match_column -%}
        {%- do tests.append('source_rows.' ~ event.match_column ~ ' = ' ~ (event.match_value
            if event.match_type == 'boolean' else string_literal(event.match_value))) -%}
    {%- endif -%}
    {%- if event.event_row_column and not count.by_item -%}
        {%- do tests.append('source_rows.' ~ event.event_row_column) -%}
    {%- endif -%}
    {%- if count.days -%}
        {%- do tests.append('source_rows.' ~ event.date_column ~ ' > windows.window_start_' ~ count.days) -%}
    {%- endif -%}
    {%- do tests.extend(count.filter_sqls) -%}
    {{ return(tests | join(' and ') if tests else 'true') }}
{%- endmacro %}
