{#- raw_source_enabled(source_name, table_name): true when the var raw_sources says the user has this
    raw table. The var maps a source system to `all`, `none` or a list of its table names; a system
    left out means none. Usable at parse time (e.g. to enable a test only when its inputs exist):
    it reads only the var. Unknown systems, tables and values are reported by check_raw_sources(). -#}
{% macro raw_source_enabled(source_name, table_name) -%}
    {%- set declared = var('raw_sources', {}) or {} -%}
    {%- set tables = declared.get(source_name, 'none') if declared is mapping else 'none' -%}
    {%- if tables is string -%}
        {{ return(tables | trim | lower == 'all') }}
    {%- endif -%}
    {{ return(tables is iterable and table_name in tables) }}
{%- endmacro %}
