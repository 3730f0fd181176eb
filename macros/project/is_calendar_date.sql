{#- is_calendar_date(text): true when text is YYYY-MM-DD and names a real day (2025-02-30 is not,
    2024-02-29 is). Pure Jinja, so a bad date is reported before any query runs. -#}
{% macro is_calendar_date(text) -%}
    {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', text | string) -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set year, month, day = (text | string).split('-') | map('int') | list -%}
    {%- set is_leap = (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 -%}
    {%- set month_days = [31, 29 if is_leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] -%}
    {{ return(1 <= month <= 12 and 1 <= day <= month_days[month - 1]) }}
{%- endmacro %}
