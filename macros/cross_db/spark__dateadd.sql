{#- dbt.dateadd on Spark, replacing dbt-spark's, which goes through to_unix_timestamp and so drops
    the fraction of a second (10:00:00.5 plus 30 minutes gave 10:30:00, and sessionization split a
    session at exactly the timeout). Spark's timestampadd keeps microseconds and, like DuckDB and
    PostgreSQL, returns a timestamp for a date; month ends clamp as on the other engines.
    Used through dbt's dispatch (dbt_project.yml: dispatch, macro_namespace dbt). -#}
{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) -%}
    timestampadd({{ datepart | upper }}, cast({{ interval }} as bigint), {{ from_date_or_timestamp }})
{%- endmacro %}
