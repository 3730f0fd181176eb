{#- built_columns_sql(models): a union of one-row selects (model_name, column_name), one per column
    each listed model has in the warehouse (names lower-cased), for tests that check a catalog seed
    against the tables. While dbt parses the project, one empty row. The caller lists the models'
    refs in a depends_on comment. -#}
{% macro built_columns_sql(models) -%}
    {%- set rows = [] -%}
    {%- if execute -%}
        {%- for model in models -%}
            {%- for column in adapter.get_columns_in_relation(ref(model)) -%}
                {%- do rows.append("select '" ~ model ~ "' as model_name, '" ~ column.name | lower
                    ~ "' as column_name") -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- else -%}
        {%- do rows.append("select '' as model_name, '' as column_name") -%}
    {%- endif -%}
    {{ return(rows | join('\n    union all\n    ')) }}
{%- endmacro %}
