{#- on-run-start hook (dbt_project.yml). PostgreSQL has no try_cast, so try_cast_as() calls small
    PL/pgSQL functions that return NULL instead of raising when text does not convert. This creates
    them (create or replace: idempotent, cheap) in the schema safe_cast_function_schema() returns
    ("<target schema>_udf", created here so it exists before any model runs). Other engines have
    try_cast natively: the default renders nothing and dbt skips the empty hook.

    Functions (all STRICT: NULL in, NULL out; data errors -> NULL, other errors still raise).
    They are PARALLEL UNSAFE on purpose: the EXCEPTION block is a subtransaction, which PostgreSQL
    forbids in a parallel query (even in the leader), so queries using them run serially.
      safe_cast_timestamptz(text), safe_cast_timestamp(text), safe_cast_date(text)
          Year-first dates only (YYYY-MM-DD or YYYY/MM/DD, then an optional time and offset), as
          DuckDB's try_cast reads them: '05/03/2024' (day or month first?), 'March 5 2024', 'now',
          'today', 'epoch', 'infinity' give NULL. Text without an offset is read in the
          session TimeZone (UTC on this project's targets).
      safe_cast_numeric(text), safe_cast_numeric(text, precision, scale)
          Decimal or scientific notation; NaN/Infinity give NULL. The 3-argument form rounds to
          `scale` half away from zero and gives NULL when the value does not fit numeric(p, s), as
          DuckDB's try_cast to decimal(p, s) does.
      safe_cast_bigint(text), safe_cast_integer(text), safe_cast_double(text)
          Integers; decimal text is rounded half away from zero ('12.5' -> 13) as in DuckDB;
          out-of-range values give NULL. -#}
{% macro create_safe_cast_functions() -%}
    {{ return(adapter.dispatch('create_safe_cast_functions', 'customer_segmentation')()) }}
{%- endmacro %}

{% macro default__create_safe_cast_functions() -%}
{%- endmacro %}

{% macro postgres__create_safe_cast_functions() -%}
{%- set s = adapter.quote(safe_cast_function_schema()) -%}
{#- no back-reference (([-/])...\1): PostgreSQL runs those ~8x slower -#}
{%- set iso_date = "'^\\s*[0-9]{4}(-[0-9]{1,2}-|/[0-9]{1,2}/)[0-9]{1,2}([T ]|\\s*$)'" -%}
{%- set number = "'^\\s*[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?\\s*$'" -%}
create schema if not exists {{ s }};

{#- timestamptz, timestamp and date: the same ISO 8601 gate, then the cast -#}
{% for type_name in ['timestamptz', 'timestamp', 'date'] %}
create or replace function {{ s }}.safe_cast_{{ type_name }}(value text) returns {{ type_name }}
language plpgsql stable strict parallel unsafe as $body$
begin
    if value !~ {{ iso_date }} then return null; end if;
    return value::{{ type_name }};
exception when data_exception then
    return null;
end
$body$;
{% endfor %}
create or replace function {{ s }}.safe_cast_numeric(value text) returns numeric
language plpgsql immutable strict parallel unsafe as $body$
begin
    if value !~ {{ number }} then return null; end if;
    return value::numeric;
exception when data_exception then
    return null;
end
$body$;

create or replace function {{ s }}.safe_cast_numeric(value text, num_precision integer, num_scale integer)
returns numeric
language plpgsql immutable strict parallel unsafe as $body$
declare
    n numeric;
begin
    if value !~ {{ number }} then return null; end if;
    n := round(value::numeric, num_scale);
    if abs(n) >= power(10::numeric, num_precision - num_scale) then return null; end if;
    return n;
exception when data_exception then
    return null;
end
$body$;

{#- bigint and integer: integer text casts directly, decimal text is rounded half away from zero -#}
{% for type_name in ['bigint', 'integer'] %}
create or replace function {{ s }}.safe_cast_{{ type_name }}(value text) returns {{ type_name }}
language plpgsql immutable strict parallel unsafe as $body$
begin
    if value ~ '^\s*[+-]?[0-9]+\s*$' then return value::{{ type_name }}; end if;
    if value !~ {{ number }} then return null; end if;
    return round(value::numeric)::{{ type_name }};
exception when data_exception then
    return null;
end
$body$;
{% endfor %}
create or replace function {{ s }}.safe_cast_double(value text) returns double precision
language plpgsql immutable strict parallel unsafe as $body$
begin
    return value::double precision;
exception when data_exception then
    return null;
end
$body$;
{%- endmacro %}
