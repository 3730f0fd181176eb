{#- raw_contract_type(data_type): the engine's SQL type for a data_type written in a source contract
    (models/staging/*/_*__sources.yml), through the cross-database type macros. Widths are kept
    (integer is not bigint, double is 8 bytes everywhere) so an empty raw table has the same row
    types as a real one. -#}
{% macro raw_contract_type(data_type) -%}
    {%- set types = {
        'bigint': dbt.type_bigint(),
        'integer': dbt.type_int(),
        'double': type_double(),
        'boolean': dbt.type_boolean(),
        'timestamp': dbt.type_timestamp(),
        'date': 'date',
        'varchar': dbt.type_string(),
    } -%}
    {%- set name = (data_type or '') | lower | trim -%}
    {%- if name not in types -%}
        {{ exceptions.raise_compiler_error("Source contract data_type '" ~ data_type ~ "' is not one of " ~ types.keys() | join(', ') ~ ".") }}
    {%- endif -%}
    {{ return(types[name]) }}
{%- endmacro %}
