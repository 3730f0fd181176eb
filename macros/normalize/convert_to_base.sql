{#- Converts a local-currency amount to the base currency (var base_currency) with a rate from the
    fx_rates seed, rounded half away from zero to the cent. Each amount is converted on its own, so
    a converted total can differ from the sum of its converted parts by a cent (docs/decisions.md). -#}
{% macro convert_to_base(amount, rate) -%}
    cast(round({{ amount }} * {{ rate }}, 2) as {{ money_type(wide=true) }})
{%- endmacro %}
