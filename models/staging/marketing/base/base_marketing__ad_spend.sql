-- depends_on: {{ ref('quarantine_reasons') }}
{{ config(materialized='table') }}

with

source as (
    select raw_rows.* from {{ raw_source('marketing', 'ad_spend') }} as raw_rows
),

code_sets as (
    select
        code_set,
        code
    from {{ ref('code_sets') }}
),

fx_rates as (
    -- rates to var base_currency, rebased from the fx_rates seed's quote currency
    {{ fx_rates_to_base() }}
),

typed as (
    select
        -- ISO YYYY-MM-DD only: engines disagree on other spellings (01/02/2025, today)
        case
            when {{ regexp_like("trim(source.spend_date)", "'^[0-9]{4}-[0-9]{2}-[0-9]{2}$'") }}
                then {{ try_cast_as("trim(source.spend_date)", 'date') }}
        end as spend_date,
        nullif(trim(source.spend_date), '') is not null as has_spend_date_text,
        nullif(trim(source.campaign_id), '') as campaign_id,
        lower(nullif(trim(source.platform), '')) as platform,
        upper(nullif(trim(source.currency), '')) as currency_code,
        {{ parse_decimal('source.spend') }} as spend_amount_local,
        source.impressions,
        source.clicks,
        source._loaded_at,
        {{ row_fingerprint('source') }} as _row_fingerprint
    from source
),

converted as (
    select
        typed.*,
        fx_rates.rate_to_base,
        {{ convert_to_base('typed.spend_amount_local', 'fx_rates.rate_to_base') }} as spend_amount,
        platforms.code is not null as is_known_platform
    from typed
    -- the rate of the spend day; the seed's ranges never overlap (tested), so no fan-out
    left join fx_rates
        on
            typed.currency_code = fx_rates.currency_code
            and typed.spend_date between fx_rates.valid_from and fx_rates.valid_to
    -- the platform checked against its set in seed code_sets (one row per code: no fan-out)
    left join code_sets as platforms
        on platforms.code_set = 'ad_platform' and typed.platform = platforms.code
),

validated as (
    select
        *,
        case
            when not has_spend_date_text or campaign_id is null or platform is null then 'missing_key'
            when spend_date is null then 'unparseable_timestamp'
            when spend_date > {{ dbt.dateadd('day', var('future_timestamp_tolerance_days'), '_loaded_at') }}
                then 'future_timestamp'
            when spend_date < cast('{{ var("min_plausible_date") }}' as date) then 'implausible_timestamp'
            when spend_amount_local is null then 'unparseable_amount'
            when spend_amount_local < 0 or impressions < 0 or clicks < 0 then 'negative_amount'
            when rate_to_base is null then 'unknown_currency'
            when not is_known_platform then 'unknown_value'
        end as _quarantine_reason
    from converted
),

ranked as (
    -- one campaign can run on two platforms (paid_social: meta_ads and tiktok_ads), each with its
    -- own account and currency, so the platform is part of the key; a restated day: latest load wins
    {{ rank_duplicates('validated', ['spend_date', 'campaign_id', 'platform'], '_loaded_at desc nulls last') }}
),

final as (
    select
        spend_date,
        campaign_id,
        platform,
        spend_amount_local,
        currency_code,
        spend_amount,
        impressions,
        clicks,
        _loaded_at,
        {{ dbt.concat([
            "coalesce(cast(spend_date as " ~ dbt.type_string() ~ "), '')",
            "'|'",
            "coalesce(campaign_id, '')",
            "'|'",
            "coalesce(platform, '')"
        ]) }} as _natural_key,
        _quarantine_reason,
        _dedupe_rank,
        _row_fingerprint
    from ranked
)

select * from final
