-- Two rates for one currency on one day would fan out every order converted on that day: neither
-- the fx_rates seed nor the rates rebased to var base_currency (macro fx_rates_to_base) may overlap.
with

rebased as (
    {{ fx_rates_to_base() }}
),

rates as (
    select
        'seed fx_rates' as rates,
        currency_code,
        valid_from,
        valid_to
    from {{ ref('fx_rates') }}
    union all
    select
        'rebased to {{ base_currency() }}' as rates,
        currency_code,
        valid_from,
        valid_to
    from rebased
)

select
    earlier.rates,
    earlier.currency_code,
    earlier.valid_from as earlier_valid_from,
    later.valid_from as later_valid_from
from rates as earlier
inner join rates as later
    on
        earlier.rates = later.rates
        and earlier.currency_code = later.currency_code
        and earlier.valid_from < later.valid_from
        and earlier.valid_to >= later.valid_from
