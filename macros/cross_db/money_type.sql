{#- money_type(wide=false): the SQL type of a money amount. decimal(18, 6) is the fact money type
    (fct_orders, fct_order_lines, the scoring stage): 12 integer digits fit every plausible order
    (var max_plausible_order_amount) and DuckDB stores it in 64 bits (128 when wide). wide=true gives
    decimal(28, 6) (the same as dbt.type_numeric() on DuckDB and PostgreSQL), for staging amounts and
    intermediate sums that may exceed 12 digits (docs/decisions.md, "Fact money is decimal(18, 6)").
    Both spellings mean the same on DuckDB, PostgreSQL and Spark; an adapter that differs adds a
    <adapter>__money_type. -#}
{% macro money_type(wide=false) -%}
    {{ return(adapter.dispatch('money_type', 'customer_segmentation')(wide)) }}
{%- endmacro %}

{% macro default__money_type(wide) -%}
    {{ 'decimal(28, 6)' if wide else 'decimal(18, 6)' }}
{%- endmacro %}
