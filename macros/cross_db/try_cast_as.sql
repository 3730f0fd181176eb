{#- try_cast_as(expr, type_name): cast a SQL expression, NULL instead of an error when the value does
    not convert (try_cast semantics). type_name: see parse_cast_type -- a literal like 'timestamptz',
    'date', 'numeric(18,2)', 'bigint', or what dbt.type_timestamp() / dbt.type_bigint() /
    dbt.type_numeric() ... return. Unsupported types are a compiler error (no silent plain cast).
      DuckDB (default): try_cast(expr as type_name)
      PostgreSQL: <schema>.safe_cast_<kind>(expr::text), functions from create_safe_cast_functions
      Spark/Databricks: try_cast with Spark type names (timestamptz -> timestamp, numeric -> decimal)
    Bare 'numeric' means different things per engine (DuckDB decimal(18,3), Spark decimal(10,0),
    PostgreSQL unconstrained): pass a precision and scale.
 -#}
{% macro try_cast_as(expr, type_name) -%}
    {%- set parsed = parse_cast_type(type_name) -%}
    {%- if parsed is none -%}
        {{ exceptions.raise_compiler_error(
            "try_cast_as: unsupported type '" ~ type_name ~ "'. Supported: timestamptz, timestamp, date, "
            ~ "numeric/decimal[(p[, s])], bigint, integer, double, text/varchar."
        ) }}
    {%- endif -%}
    {{ return(adapter.dispatch('try_cast_as', 'customer_segmentation')(expr, type_name, parsed)) }}
{%- endmacro %}

{% macro default__try_cast_as(expr, type_name, parsed) -%}
    try_cast({{ expr }} as {{ type_name }})
{%- endmacro %}

{% macro postgres__try_cast_as(expr, type_name, parsed) -%}
    {%- set fn = adapter.quote(safe_cast_function_schema()) ~ '.safe_cast_' -%}
    {%- set arg = 'cast(' ~ expr ~ ' as text)' -%}
    {%- if parsed.kind == 'text' -%}
        cast({{ expr }} as text)
    {%- elif parsed.kind == 'numeric' and parsed.precision is not none -%}
        cast({{ fn }}numeric({{ arg }}, {{ parsed.precision }}, {{ parsed.scale }}) as numeric({{ parsed.precision }}, {{ parsed.scale }}))
    {%- else -%}
        {{ fn }}{{ parsed.kind }}({{ arg }})
    {%- endif -%}
{%- endmacro %}

{% macro spark__try_cast_as(expr, type_name, parsed) -%}
    {%- set spark_types = {
        'timestamptz': 'timestamp', 'timestamp': 'timestamp', 'date': 'date', 'bigint': 'bigint',
        'integer': 'int', 'double': 'double', 'text': 'string',
    } -%}
    {%- if parsed.kind == 'numeric' -%}
        {%- set spark_type = 'decimal' ~ (('(' ~ parsed.precision ~ ', ' ~ parsed.scale ~ ')') if parsed.precision is not none else '') -%}
    {%- else -%}
        {%- set spark_type = spark_types[parsed.kind] -%}
    {%- endif -%}
    try_cast({{ expr }} as {{ spark_type }})
{%- endmacro %}
