{#- raw_source_text_casts(node, found_columns): lower-case names of the raw columns (as found in the
    warehouse catalog) that the source contract declares as text but that arrive numeric (pandas
    writes money as DOUBLE, ids as BIGINT). raw_source() casts them to text, where staging parses them
    as it parses any text; check_raw_sources() accepts them for the same reason. -#}
{% macro raw_source_text_casts(node, found_columns) -%}
    {%- set declared = {} -%}
    {%- for column in node.columns.values() -%}
        {%- do declared.update({column.name | lower: raw_type_family(column.data_type)}) -%}
    {%- endfor -%}
    {%- set casts = [] -%}
    {%- for column in found_columns -%}
        {%- if declared.get(column.name | lower) == 'text' and raw_type_family(column.dtype) in ('integer', 'number') -%}
            {%- do casts.append(column.name | lower) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(casts) }}
{%- endmacro %}
