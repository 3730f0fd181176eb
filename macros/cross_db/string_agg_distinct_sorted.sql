{#- string_agg_distinct_sorted(measure, delimiter_text): aggregate giving the distinct non-null values
    of measure, sorted ascending, joined with delimiter_text into one text (null when there are none).
    dbt.listagg orders on DuckDB and PostgreSQL but ignores order_by_clause on Spark, hence the
    override. The values must not contain the delimiter (a set would no longer split back). -#}
{% macro string_agg_distinct_sorted(measure, delimiter_text="','") -%}
    {{ return(adapter.dispatch('string_agg_distinct_sorted', 'customer_segmentation')(measure, delimiter_text)) }}
{%- endmacro %}

{% macro default__string_agg_distinct_sorted(measure, delimiter_text) -%}
    {{ dbt.listagg('distinct ' ~ measure, delimiter_text, 'order by ' ~ measure) }}
{%- endmacro %}

{#- collect_set gives an empty array (joined: '') when every value is null: null instead, as listagg -#}
{% macro spark__string_agg_distinct_sorted(measure, delimiter_text) -%}
    nullif(array_join(array_sort(collect_set({{ measure }})), {{ delimiter_text }}), '')
{%- endmacro %}
