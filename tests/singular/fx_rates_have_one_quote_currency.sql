-- The fx_rates seed quotes every rate against one currency (macro fx_rates_to_base divides two of
-- its rates, which is only meaningful in a common quote currency), and where the quote currency has
-- rows of its own their rate is 1.
with

quote_currencies as (
    select count(distinct quote_currency_code) as n_quote_currencies
    from {{ ref('fx_rates') }}
),

problems as (
    select
        null as currency_code,
        null as valid_from,
        'more than one quote_currency_code' as problem
    from quote_currencies
    where n_quote_currencies > 1
    union all
    select
        currency_code,
        valid_from,
        'the quote currency''s own rate is not 1' as problem
    from {{ ref('fx_rates') }}
    where currency_code = quote_currency_code and rate_to_quote <> 1
)

select * from problems
