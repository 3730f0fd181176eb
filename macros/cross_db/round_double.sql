{#- round_double(expression, digits): a double rounded to `digits` decimals on every engine, through a
    decimal (PostgreSQL has no round(double precision, n)). The decimal keeps 12 digits after the point
    and 12 before it: for rates, scores, lifts and statistics, not for money. -#}
{% macro round_double(expression, digits) -%}
    cast(round(cast({{ expression }} as decimal(24, 12)), {{ digits }}) as {{ type_double() }})
{%- endmacro %}
