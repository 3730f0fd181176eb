{#- fx_rates_to_base(): the body of an fx_rates CTE (currency_code, valid_from, valid_to,
    rate_to_base) that converts to var base_currency. The fx_rates seed quotes every currency against
    one quote currency (quote_currency_code, tested); a currency's rate to the base currency is
    rate_to_quote(currency) / rate_to_quote(base currency) on the days both ranges cover, kept to 12
    decimals. The base currency itself converts at 1 on every date, with or without a seed row, so
    its amounts never need a rate. A macro rather than a model: staging reads no other model, and
    unit tests that mock ref('fx_rates') still apply (docs/decisions.md). -#}
{% macro fx_rates_to_base() -%}
    {%- set base = base_currency() %}
    select
        quoted.currency_code,
        greatest(quoted.valid_from, base_rates.valid_from) as valid_from,
        least(quoted.valid_to, base_rates.valid_to) as valid_to,
        cast(quoted.rate_to_quote / base_rates.rate_to_quote as decimal(28, 12)) as rate_to_base
    from {{ ref('fx_rates') }} as quoted
    inner join {{ ref('fx_rates') }} as base_rates
        on
            base_rates.currency_code = '{{ base }}'
            and quoted.valid_from <= base_rates.valid_to
            and base_rates.valid_from <= quoted.valid_to
    where quoted.currency_code <> '{{ base }}'
    union all
    select
        '{{ base }}' as currency_code,
        cast('0001-01-01' as date) as valid_from,
        cast('9999-12-31' as date) as valid_to,
        cast(1 as decimal(28, 12)) as rate_to_base
{%- endmacro %}
