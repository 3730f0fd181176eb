{#- empty_raw_source(node): a query with the source contract's columns and types and no rows, what
    raw_source() reads for a raw table the user does not have (var raw_sources). -#}
{% macro empty_raw_source(node) -%}
    {%- set columns = [] -%}
    {%- for column in node.columns.values() -%}
        {%- do columns.append('cast(null as ' ~ raw_contract_type(column.data_type) ~ ') as ' ~ adapter.quote(column.name)) -%}
    {%- endfor -%}
    select {{ columns | join(', ') }} where 1 = 0
{%- endmacro %}
