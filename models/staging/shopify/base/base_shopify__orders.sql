-- depends_on: {{ ref('quarantine_reasons') }}
-- Incremental: stored under the order's UTC day (_partition_date). A run rebuilds whole days touched
-- by versions loaded since the last run, so dedupe sees every version of an order as a full build does.
{{ config(
    materialized='incremental', on_schema_change='fail',
    **incremental_replace_config('_partition_date', '_row_fingerprint')
) }}
{#- the day a raw row is stored under: its order's UTC day, else (no usable created_at) its load day #}
{%- set raw_created_at = parse_timestamp_utc('raw_rows.created_at') %}
{%- set order_day = "coalesce(cast(" ~ raw_created_at ~ " as date), cast(raw_rows._loaded_at as date))" %}

with

{% if is_incremental() %}
    -- read straight from the source, so that only the raw rows of the rebuilt days are typed below
    new_rows as (
        select
            raw_rows.order_id,
            {{ order_day }} as _partition_date
        from {{ raw_source('shopify', 'orders') }} as raw_rows
        where raw_rows._loaded_at > {{ incremental_watermark() }}
    ),

    rebuilt_days as (
        select new_rows._partition_date from new_rows
        union
        -- where earlier versions of the same orders are stored (the same day unless one moved)
        select previous._partition_date
        from {{ this }} as previous
        where previous.order_id in (select new_rows.order_id from new_rows)
    ),

{% endif %}
source as (
    select raw_rows.*
    from {{ raw_source('shopify', 'orders') }} as raw_rows
    {% if is_incremental() %}
        where {{ order_day }} in (select rebuilt_days._partition_date from rebuilt_days)
    {% endif %}
),

fx_rates as (
    -- rates to var base_currency, rebased from the fx_rates seed's quote currency
    {{ fx_rates_to_base() }}
),

code_sets as (
    select
        code_set,
        code
    from {{ ref('code_sets') }}
),

country_aliases as (
    select
        country_alias,
        country_code
    from {{ ref('country_aliases') }}
),

country_codes as (
    select
        country_code,
        cast(calling_code as {{ dbt.type_string() }}) as calling_code,
        trunk_prefix
    from {{ ref('country_codes') }}
),

default_region as (
    select
        calling_code,
        trunk_prefix
    from country_codes
    where country_code = '{{ var("default_phone_region") }}'
),

typed as (
    select
        source.order_id,
        nullif(trim(source.order_number), '') as order_number,
        source.customer_id,
        {{ normalize_email('source.email') }} as email,
        {{ phone_digits('source.phone') }} as phone_digits,
        coalesce(trim(source.phone) like '+%', false) as has_phone_plus_prefix,
        coalesce(country_codes.calling_code, default_region.calling_code) as phone_calling_code,
        case
            when country_codes.calling_code is null then default_region.trunk_prefix
            else country_codes.trunk_prefix
        end as phone_trunk_prefix,
        {{ parse_timestamp_utc('source.created_at') }} as created_at,
        {{ parse_timestamp_utc('source.processed_at') }} as processed_at,
        {{ parse_timestamp_utc('source.updated_at') }} as updated_at,
        {{ parse_timestamp_utc('source.cancelled_at') }} as cancelled_at,
        lower(nullif(trim(source.cancel_reason), '')) as cancel_reason,
        upper(nullif(trim(source.currency), '')) as currency_code,
        {{ parse_decimal('source.subtotal_price') }} as subtotal_amount_local,
        {{ parse_decimal('source.total_discounts') }} as discount_amount_local,
        {{ parse_decimal('source.total_shipping') }} as shipping_amount_local,
        {{ parse_decimal('source.total_tax') }} as tax_amount_local,
        {{ parse_decimal('source.total_price') }} as total_amount_local,
        lower(nullif(trim(source.financial_status), '')) as financial_status,
        coalesce(lower(nullif(trim(source.fulfillment_status), '')), 'unfulfilled') as fulfillment_status,
        lower(nullif(trim(source.source_name), '')) as sales_channel,
        nullif(trim(source.discount_codes), '') as discount_codes,
        country_aliases.country_code as shipping_country_code,
        coalesce(source.is_test, false) as is_test,
        source._loaded_at,
        -- text that is present but does not parse is a quarantine reason, blank text is not
        nullif(trim(source.processed_at), '') is not null as has_processed_at_text,
        nullif(trim(source.updated_at), '') is not null as has_updated_at_text,
        nullif(trim(source.cancelled_at), '') is not null as has_cancelled_at_text,
        nullif(trim(source.subtotal_price), '') is not null as has_subtotal_text,
        nullif(trim(source.total_discounts), '') is not null as has_discounts_text,
        nullif(trim(source.total_shipping), '') is not null as has_shipping_text,
        nullif(trim(source.total_tax), '') is not null as has_tax_text,
        {{ row_fingerprint('source') }} as _row_fingerprint
    from source
    left join country_aliases
        on lower(trim(source.shipping_country)) = country_aliases.country_alias
    left join country_codes
        on country_aliases.country_code = country_codes.country_code
    cross join default_region
),

with_rates as (
    select
        typed.*,
        fx_rates.rate_to_base,
        -- the same day as order_day above
        coalesce(cast(typed.created_at as date), cast(typed._loaded_at as date)) as _partition_date
    from typed
    left join fx_rates
        on
            typed.currency_code = fx_rates.currency_code
            and cast(typed.created_at as date) between fx_rates.valid_from and fx_rates.valid_to
),

coded as (
    -- each coded value checked against its set in seed code_sets (one row per code: no fan-out)
    select
        with_rates.*,
        financial_statuses.code is not null as is_known_financial_status
    from with_rates
    left join code_sets as financial_statuses
        on
            financial_statuses.code_set = 'order_financial_status'
            and with_rates.financial_status = financial_statuses.code
),

validated as (
    select
        *,
        case
            when order_id is null then 'missing_key'
            when created_at is null then 'unparseable_timestamp'
            when has_processed_at_text and processed_at is null then 'unparseable_timestamp'
            when has_updated_at_text and updated_at is null then 'unparseable_timestamp'
            when has_cancelled_at_text and cancelled_at is null then 'unparseable_timestamp'
            when created_at > {{ dbt.dateadd('day', var('future_timestamp_tolerance_days'), '_loaded_at') }}
                then 'future_timestamp'
            when created_at < cast('{{ var("min_plausible_date") }}' as {{ dbt.type_timestamp() }})
                then 'implausible_timestamp'
            when cancelled_at < created_at then 'invalid_date_range'
            -- a blank financial status is unknown too
            when not is_known_financial_status then 'unknown_value'
            when total_amount_local is null then 'unparseable_amount'
            when has_subtotal_text and subtotal_amount_local is null then 'unparseable_amount'
            when has_discounts_text and discount_amount_local is null then 'unparseable_amount'
            when has_shipping_text and shipping_amount_local is null then 'unparseable_amount'
            when has_tax_text and tax_amount_local is null then 'unparseable_amount'
            when
                total_amount_local < 0 or subtotal_amount_local < 0 or discount_amount_local < 0
                or shipping_amount_local < 0 or tax_amount_local < 0
                then 'negative_amount'
            when rate_to_base is null then 'unknown_currency'
            when total_amount_local * rate_to_base > {{ var('max_plausible_order_amount') }}
                then 'impossible_amount'
            when
                abs(
                    total_amount_local
                    - (
                        coalesce(subtotal_amount_local, 0) - coalesce(discount_amount_local, 0)
                        + coalesce(shipping_amount_local, 0) + coalesce(tax_amount_local, 0)
                    )
                ) > {{ var('order_amount_tolerance') }}
                then 'amounts_do_not_add_up'
        end as _quarantine_reason
    from coded
),

ranked as (
    -- an order is re-exported when it changes: the latest updated_at wins, then the latest load
    {{ rank_duplicates('validated', 'order_id', 'updated_at desc nulls last, _loaded_at desc nulls last') }}
),

final as (
    select
        order_id,
        order_number,
        customer_id,
        email,
        {{ normalize_phone('phone_digits', 'has_phone_plus_prefix', 'phone_calling_code', 'phone_trunk_prefix') }}
            as phone_e164,
        created_at,
        cast(created_at as date) as order_date,
        processed_at,
        updated_at,
        cancelled_at,
        cancelled_at is not null as is_cancelled,
        cancel_reason,
        currency_code,
        rate_to_base as fx_rate_to_base,
        subtotal_amount_local,
        coalesce(discount_amount_local, 0) as discount_amount_local,
        coalesce(shipping_amount_local, 0) as shipping_amount_local,
        coalesce(tax_amount_local, 0) as tax_amount_local,
        total_amount_local,
        {{ convert_to_base('subtotal_amount_local', 'rate_to_base') }} as subtotal_amount,
        {{ convert_to_base('coalesce(discount_amount_local, 0)', 'rate_to_base') }} as discount_amount,
        {{ convert_to_base('coalesce(shipping_amount_local, 0)', 'rate_to_base') }} as shipping_amount,
        {{ convert_to_base('coalesce(tax_amount_local, 0)', 'rate_to_base') }} as tax_amount,
        {{ convert_to_base('total_amount_local', 'rate_to_base') }} as total_amount,
        financial_status,
        fulfillment_status,
        sales_channel,
        discount_codes,
        discount_codes is not null as has_discount_code,
        customer_id is null as is_guest_checkout,
        shipping_country_code,
        is_test,
        _loaded_at,
        cast(order_id as {{ dbt.type_string() }}) as _natural_key,
        _quarantine_reason,
        _dedupe_rank,
        _row_fingerprint,
        _partition_date
    from ranked
)

select * from final
{{ write_partitions_whole('_partition_date') }}
