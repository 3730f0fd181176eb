{#- Parses a type name given to try_cast_as into {kind, precision, scale} (kind: timestamptz,
    timestamp, date, numeric, bigint, integer, double, text), or none when try_cast_as does not
    support it. Accepts SQL spellings and what dbt.type_*() return on DuckDB, Postgres and Spark:
    'timestamptz' / 'timestamp with time zone', 'timestamp' / 'timestamp without time zone',
    'date', 'numeric' / 'decimal' with optional (p) or (p, s), 'bigint' / 'int8', 'integer' / 'int' /
    'int4', 'double' / 'double precision' / 'float' / 'float8', 'text' / 'varchar[(n)]' /
    'character varying[(n)]' / 'string'. Case and spacing are ignored. -#}
{% macro parse_cast_type(type_name) -%}
    {%- set re = modules.re -%}
    {%- set t = re.sub('\\s+', ' ', (type_name | string | lower | trim)) -%}
    {%- set t = re.sub(' ?([(),]) ?', '\\1', t) -%}
    {%- set aliases = {
        'timestamptz': 'timestamptz', 'timestamp with time zone': 'timestamptz',
        'timestamp': 'timestamp', 'timestamp without time zone': 'timestamp',
        'date': 'date',
        'bigint': 'bigint', 'int8': 'bigint',
        'integer': 'integer', 'int': 'integer', 'int4': 'integer',
        'double': 'double', 'double precision': 'double', 'float': 'double', 'float8': 'double',
        'text': 'text', 'varchar': 'text', 'character varying': 'text', 'string': 'text',
    } -%}
    {%- if t in aliases -%}
        {{ return({'kind': aliases[t], 'precision': none, 'scale': none}) }}
    {%- endif -%}
    {%- set m = re.match('^(numeric|decimal)(\\((\\d+)(,(\\d+))?\\))?$', t) -%}
    {%- if m -%}
        {%- set precision = (m.group(3) | int) if m.group(3) else none -%}
        {%- set scale = (m.group(5) | int) if m.group(5) else (0 if m.group(3) else none) -%}
        {{ return({'kind': 'numeric', 'precision': precision, 'scale': scale}) }}
    {%- endif -%}
    {%- if re.match('^(varchar|character varying)\\(\\d+\\)$', t) -%}
        {{ return({'kind': 'text', 'precision': none, 'scale': none}) }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}
