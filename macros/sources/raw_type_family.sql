{#- raw_type_family(type_name): the family of a column type as any of our engines spells it
    (DuckDB, PostgreSQL, Spark): integer, number, boolean, timestamp, date, text or other. Raw
    columns are checked by family, so bigint vs integer or double vs decimal are not mismatches. -#}
{% macro raw_type_family(type_name) -%}
    {%- set name = (type_name or '') | string | lower | trim -%}
    {%- set base = name.split('(')[0] | trim -%}
    {%- if base in ('tinyint', 'smallint', 'integer', 'int', 'bigint', 'hugeint', 'utinyint', 'usmallint',
        'uinteger', 'ubigint', 'uhugeint', 'int2', 'int4', 'int8', 'long', 'short', 'byte') -%}
        {{ return('integer') }}
    {%- elif base in ('double', 'float', 'real', 'decimal', 'numeric', 'double precision', 'float4', 'float8') -%}
        {{ return('number') }}
    {%- elif base in ('boolean', 'bool') -%}
        {{ return('boolean') }}
    {%- elif base.startswith('timestamp') or base == 'datetime' -%}
        {{ return('timestamp') }}
    {%- elif base == 'date' -%}
        {{ return('date') }}
    {%- elif base in ('varchar', 'text', 'string', 'character varying', 'char', 'character', 'bpchar') -%}
        {{ return('text') }}
    {%- endif -%}
    {{ return('other') }}
{%- endmacro %}
