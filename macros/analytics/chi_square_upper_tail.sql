{#- chi_square_upper_tail(x, df): P(X > x) for X chi-square with df degrees of freedom (SQL over the
    columns or expressions x and df, each parenthesised here). Exact for 1 (2 P(Z > sqrt x)) and 2 (exp(-x / 2)) degrees of freedom, the
    sample-ratio checks of two- and three-variant experiments; the Wilson-Hilferty cube-root normal
    approximation above (error below 0.01 for 3 or more degrees of freedom at the usual thresholds). -#}
{% macro chi_square_upper_tail(x, df) -%}
    {%- set x = '(' ~ x ~ ')' -%}
    {%- set df = '(' ~ df ~ ')' -%}
    {%- set wilson_hilferty = '((power(' ~ x ~ ' / ' ~ df ~ ', 1.0 / 3) - (1.0 - 2.0 / (9.0 * ' ~ df ~ ')))'
        ~ ' / sqrt(2.0 / (9.0 * ' ~ df ~ ')))' -%}
    (case
        when {{ df }} = 1 then 2.0 * {{ normal_upper_tail('sqrt(' ~ x ~ ')') }}
        when {{ df }} = 2 then exp(-0.5 * {{ x }})
        else {{ normal_upper_tail(wilson_hilferty) }}
    end)
{%- endmacro %}
