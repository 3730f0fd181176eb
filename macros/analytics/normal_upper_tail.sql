{#- normal_upper_tail(z): P(Z > z) for a standard normal Z, as SQL over the column or expression z
    (pass a column or a short expression: it is repeated). No engine has erf() in common, so this is
    Hart's algorithm 5666 (1968) as given by G. West, "Better approximations to cumulative normal
    functions" (Wilmott, 2005): a rational function of |z| times the density below |z| = 5 sqrt 2, a
    continued fraction above, 0 beyond 37. Absolute error below 1e-15 (checked against scipy in
    tests/python/test_experiment_statistics.py). The constants are the algorithm's, not business rules. -#}
{% macro normal_upper_tail(z) -%}
    {%- set a = 'abs(cast(' ~ z ~ ' as ' ~ type_double() ~ '))' -%}
    {%- set numerator = ['0.0352624965998911', '0.700383064443688', '6.37396220353165', '33.912866078383',
        '112.079291497871', '221.213596169931', '220.206867912376'] -%}
    {%- set denominator = ['0.0883883476483184', '1.75566716318264', '16.064177579207', '86.7807322029461',
        '296.564248779674', '637.333633378831', '793.826512519948', '440.413735824752'] -%}
    {%- set ns = namespace(numerator=numerator[0], denominator=denominator[0]) -%}
    {%- for c in numerator[1:] -%}
        {%- set ns.numerator = '(' ~ ns.numerator ~ ') * ' ~ a ~ ' + ' ~ c -%}
    {%- endfor -%}
    {%- for c in denominator[1:] -%}
        {%- set ns.denominator = '(' ~ ns.denominator ~ ') * ' ~ a ~ ' + ' ~ c -%}
    {%- endfor -%}
    {%- set fraction = a ~ ' + 1.0 / (' ~ a ~ ' + 2.0 / (' ~ a ~ ' + 3.0 / (' ~ a ~ ' + 4.0 / (' ~ a ~ ' + 0.65))))' -%}
    {%- set tail -%}
        case
            when {{ a }} > 37 then 0.0
            when {{ a }} < 7.07106781186547
                then exp(-0.5 * {{ a }} * {{ a }}) * ({{ ns.numerator }}) / ({{ ns.denominator }})
            else exp(-0.5 * {{ a }} * {{ a }}) / ({{ fraction }}) / 2.506628274631
        end
    {%- endset -%}
    (case when {{ z }} >= 0 then {{ tail }} else 1.0 - {{ tail }} end)
{%- endmacro %}
