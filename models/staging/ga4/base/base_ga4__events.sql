-- depends_on: {{ ref('quarantine_reasons') }}
-- Incremental: a run rebuilds whole days (_partition_date, the UTC day of the event) touched by rows
-- loaded since the last run, so dedupe sees every delivery of an event as a full build does.
{{ config(
    materialized='incremental', on_schema_change='fail',
    **incremental_replace_config('_partition_date', '_row_fingerprint')
) }}
{#- the day a raw row is stored under: its event's UTC day, else (no usable event time) its load day #}
{%- set raw_event_at = micros_to_timestamp('raw_rows.event_timestamp') %}
{%- set event_day = "coalesce(cast(" ~ raw_event_at ~ " as date), cast(raw_rows._loaded_at as date))" %}

with

{% if is_incremental() %}
    -- read straight from the source, so that only the raw rows of the rebuilt days are typed below
    new_rows as (
        select
            nullif(trim(raw_rows.event_id), '') as event_id,
            {{ event_day }} as _partition_date
        from {{ raw_source('ga4', 'events') }} as raw_rows
        where raw_rows._loaded_at > {{ incremental_watermark() }}
    ),

    rebuilt_days as (
        select new_rows._partition_date from new_rows
        union
        -- where earlier deliveries of the same events are stored (the same day unless one moved)
        select previous._partition_date
        from {{ this }} as previous
        where previous.event_id in (select new_rows.event_id from new_rows)
    ),

{% endif %}
source as (
    select raw_rows.*
    from {{ raw_source('ga4', 'events') }} as raw_rows
    {% if is_incremental() %}
        where {{ event_day }} in (select rebuilt_days._partition_date from rebuilt_days)
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

typed as (
    select
        nullif(trim(source.event_id), '') as event_id,
        {{ micros_to_timestamp('source.event_timestamp') }} as event_at,
        -- GA4 writes event_date as YYYYMMDD in the property's time zone
        case
            when {{ regexp_like("trim(source.event_date)", "'^[0-9]{8}$'") }}
                then {{ try_cast_as(
                    dbt.concat([
                        "substr(trim(source.event_date), 1, 4)", "'-'",
                        "substr(trim(source.event_date), 5, 2)", "'-'",
                        "substr(trim(source.event_date), 7, 2)"
                    ]),
                    'date'
                ) }}
        end as event_date,
        nullif(trim(source.event_date), '') is not null as has_event_date_text,
        lower(nullif(trim(source.event_name), '')) as event_name,
        nullif(trim(source.user_pseudo_id), '') as user_pseudo_id,
        nullif(trim(source.user_id), '') as user_id,
        source.ga_session_id,
        nullif(trim(source.page_location), '') as page_location,
        nullif(trim(source.page_referrer), '') as page_referrer,
        nullif(trim(source.page_title), '') as page_title,
        nullif(trim(source.search_term), '') as search_term,
        lower(nullif(trim(source.traffic_source), '')) as traffic_source,
        lower(nullif(trim(source.traffic_medium), '')) as traffic_medium,
        lower(nullif(trim(source.traffic_campaign), '')) as traffic_campaign,
        lower(nullif(trim(source.device_category), '')) as device_category,
        nullif(trim(source.device_operating_system), '') as device_operating_system,
        nullif(trim(source.device_browser), '') as device_browser,
        nullif(trim(source.device_user_agent), '') as device_user_agent,
        nullif(trim(source.geo_country), '') as geo_country,
        country_aliases.country_code as geo_country_code,
        nullif(trim(source.geo_region), '') as geo_region,
        nullif(trim(source.geo_city), '') as geo_city,
        nullif(trim(source.transaction_id), '') as transaction_id,
        cast(source.purchase_revenue as {{ money_type(wide=true) }}) as purchase_revenue_amount_local,
        upper(nullif(trim(source.currency), '')) as currency_code,
        source._loaded_at,
        {{ row_fingerprint('source') }} as _row_fingerprint,
        {{ event_day | replace('raw_rows.', 'source.') }} as _partition_date
    from source
    left join country_aliases
        on lower(trim(source.geo_country)) = country_aliases.country_alias
),

converted as (
    select
        typed.*,
        fx_rates.rate_to_base,
        {{ convert_to_base('typed.purchase_revenue_amount_local', 'fx_rates.rate_to_base') }}
            as purchase_revenue_amount
    from typed
    -- the rate of the event's UTC day; the seed's ranges never overlap (tested), so no fan-out
    left join fx_rates
        on
            typed.currency_code = fx_rates.currency_code
            and cast(typed.event_at as date) between fx_rates.valid_from and fx_rates.valid_to
),

coded as (
    -- the event name checked against its set in seed code_sets (one row per code: no fan-out)
    select
        converted.*,
        event_names.code is not null as is_known_event_name
    from converted
    left join code_sets as event_names
        on event_names.code_set = 'ga4_event_name' and converted.event_name = event_names.code
),

validated as (
    select
        *,
        case
            when event_id is null then 'missing_key'
            when event_at is null then 'unparseable_timestamp'
            when has_event_date_text and event_date is null then 'unparseable_timestamp'
            when event_at > {{ dbt.dateadd('day', var('future_timestamp_tolerance_days'), '_loaded_at') }}
                then 'future_timestamp'
            when event_at < cast('{{ var("min_plausible_date") }}' as {{ dbt.type_timestamp() }})
                then 'implausible_timestamp'
            -- a blank event name is unknown too
            when not is_known_event_name then 'unknown_event_name'
            when purchase_revenue_amount_local < 0 then 'negative_amount'
            -- revenue without a rate for its currency and day cannot be expressed in the base currency
            when purchase_revenue_amount_local is not null and rate_to_base is null then 'unknown_currency'
        end as _quarantine_reason
    from coded
),

ranked as (
    -- the collector re-delivers an event under the same event_id: keep the first delivery
    {{ rank_duplicates('validated', 'event_id', '_loaded_at asc nulls last') }}
),

final as (
    select
        event_id,
        event_at,
        event_date,
        event_name,
        user_pseudo_id,
        user_id,
        ga_session_id,
        {{ dbt.concat(["user_pseudo_id", "'|'", "cast(ga_session_id as " ~ dbt.type_string() ~ ")"]) }}
            as session_key,
        page_location,
        -- path only: scheme and host removed, then query string and fragment; a bare host is "/"
        case
            when page_location is not null
                then coalesce(nullif(
                    {{ regexp_replace_all(
                        regexp_replace_all('page_location', "'^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*'", "''"),
                        "'[?#].*$'",
                        "''"
                    ) }}, ''), '/')
        end as page_path,
        page_referrer,
        page_title,
        search_term,
        traffic_source,
        traffic_medium,
        traffic_campaign,
        device_category,
        device_operating_system,
        device_browser,
        device_user_agent,
        -- a flag, not a filter: bot traffic stays in staging so each use decides
        coalesce(
            lower(device_user_agent) like '%bot%'
            or lower(device_user_agent) like '%crawler%'
            or lower(device_user_agent) like '%spider%'
            or lower(device_user_agent) like '%headless%',
            false
        ) as is_bot,
        geo_country,
        geo_country_code,
        geo_region,
        geo_city,
        transaction_id,
        purchase_revenue_amount_local,
        currency_code,
        purchase_revenue_amount,
        _loaded_at,
        coalesce(
            _loaded_at > {{ dbt.dateadd('hour', var('late_arrival_threshold_hours'), 'event_at') }},
            false
        ) as is_late_arriving,
        event_id as _natural_key,
        _quarantine_reason,
        _dedupe_rank,
        _row_fingerprint,
        _partition_date
    from ranked
)

select * from final
{{ write_partitions_whole('_partition_date') }}
