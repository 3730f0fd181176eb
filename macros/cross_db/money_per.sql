{#- money_per(amount, count): an amount of money divided by a count (an average order value), rounded
    half away from zero to the money scale of 6 decimals, the same on every engine; null when count
    is 0. amount has at most 6 decimals (a money_type() value); count is an integer.
    PostgreSQL and Spark divide decimals exactly. DuckDB divides them in double precision, so 5235.57
    over 96 orders (54.5371875 exactly) gave 54.537187 there and 54.537188 on Spark: on DuckDB the
    division is done on whole millionths instead. -#}
{% macro money_per(amount, count) -%}
    {{ return(adapter.dispatch('money_per', 'customer_segmentation')(amount, count)) }}
{%- endmacro %}

{% macro default__money_per(amount, count) -%}
    cast({{ amount }} / nullif({{ count }}, 0) as {{ money_type(wide=true) }})
{%- endmacro %}

{% macro duckdb__money_per(amount, count) -%}
    case
        when {{ count }} <> 0
            then cast(
                sign({{ amount }}) * sign({{ count }})
                * ((cast(abs({{ amount }}) * 1000000 as hugeint) * 2 + abs({{ count }})) // (2 * abs({{ count }})))
                as decimal(38, 0)
            ) * cast(0.000001 as decimal(7, 6))
    end
{%- endmacro %}
