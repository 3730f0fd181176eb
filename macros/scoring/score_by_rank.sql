{#- score_by_rank(rank_expression, n_expression, levels): the 1..levels score of a row whose rank()
    (1 = worst, ties share the lowest rank of their block) is rank_expression among n_expression
    scored rows: 1 + floor(levels × (rank − 1) / n). (rank − 1) is the number of rows strictly
    worse, so equal values always get equal scores, and a row only moves up a score once it beats
    another 1/levels of the rows. Evaluated in double precision: exact on every engine, because a
    quotient of integers below 2^53 that is not an integer lies at least 1/n from one. -#}
{% macro score_by_rank(rank_expression, n_expression, levels) -%}
    cast(
        1 + floor(cast({{ levels }} * ({{ rank_expression }} - 1) as {{ type_double() }}) / {{ n_expression }})
        as {{ dbt.type_int() }}
    )
{%- endmacro %}
