-- Two rates for one currency on one day would fan out every order converted on that day.
select
    earlier.currency_code,
    earlier.valid_from as earlier_valid_from,
    later.valid_from as later_valid_from
from {{ ref('fx_rates') }} as earlier
inner join {{ ref('fx_rates') }} as later
    on
        earlier.currency_code = later.currency_code
        and earlier.valid_from < later.valid_from
        and earlier.valid_to >= later.valid_from
