-- depends_on: {{ ref('quarantine_reasons') }}
{{ config(materialized='table') }}

with

source as (
    select raw_rows.* from {{ raw_source('shopify', 'customers') }} as raw_rows
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
        source.customer_id,
        {{ normalize_email('source.email') }} as email,
        {{ phone_digits('source.phone') }} as phone_digits,
        coalesce(trim(source.phone) like '+%', false) as has_phone_plus_prefix,
        -- a national number is read in the default address's country, else default_phone_region
        coalesce(country_codes.calling_code, default_region.calling_code) as phone_calling_code,
        case
            when country_codes.calling_code is null then default_region.trunk_prefix
            else country_codes.trunk_prefix
        end as phone_trunk_prefix,
        nullif(trim(source.first_name), '') as first_name,
        nullif(trim(source.last_name), '') as last_name,
        lower(nullif(trim(source.state), '')) as account_state,
        coalesce(source.verified_email, false) as is_email_verified,
        coalesce(source.accepts_marketing, false) as has_accepted_marketing,
        {{ parse_timestamp_utc('source.accepts_marketing_updated_at') }} as marketing_consent_updated_at,
        lower(nullif(trim(source.tags), '')) as tags,
        upper(nullif(trim(source.currency), '')) as currency_code,
        country_aliases.country_code,
        {{ parse_timestamp_utc('source.created_at') }} as created_at,
        {{ parse_timestamp_utc('source.updated_at') }} as updated_at,
        source._loaded_at,
        -- text that is present but does not parse is a quarantine reason, blank text is not
        nullif(trim(source.accepts_marketing_updated_at), '') is not null as has_marketing_consent_text,
        nullif(trim(source.updated_at), '') is not null as has_updated_at_text,
        {{ row_fingerprint('source') }} as _row_fingerprint
    from source
    left join country_aliases
        on lower(trim(source.default_address_country)) = country_aliases.country_alias
    left join country_codes
        on country_aliases.country_code = country_codes.country_code
    cross join default_region
),

coded as (
    -- each coded value checked against its set in seed code_sets (one row per code: no fan-out)
    select
        typed.*,
        account_states.code is not null as is_known_account_state
    from typed
    left join code_sets as account_states
        on account_states.code_set = 'customer_account_state' and typed.account_state = account_states.code
),

validated as (
    select
        *,
        case
            when customer_id is null then 'missing_key'
            -- every customer has a registration time: a missing one is as unusable as a bad one
            when created_at is null then 'unparseable_timestamp'
            when has_updated_at_text and updated_at is null then 'unparseable_timestamp'
            when has_marketing_consent_text and marketing_consent_updated_at is null
                then 'unparseable_timestamp'
            when created_at > {{ dbt.dateadd('day', var('future_timestamp_tolerance_days'), '_loaded_at') }}
                then 'future_timestamp'
            when updated_at > {{ dbt.dateadd('day', var('future_timestamp_tolerance_days'), '_loaded_at') }}
                then 'future_timestamp'
            when created_at < cast('{{ var("min_plausible_date") }}' as {{ dbt.type_timestamp() }})
                then 'implausible_timestamp'
            when updated_at < created_at then 'invalid_date_range'
            -- a blank account state is unknown too
            when not is_known_account_state then 'unknown_value'
        end as _quarantine_reason
    from coded
),

ranked as (
    -- a customer is re-exported when it changes: the latest updated_at wins, then the latest load
    {{ rank_duplicates('validated', 'customer_id', 'updated_at desc nulls last, _loaded_at desc nulls last') }}
),

final as (
    select
        customer_id,
        email,
        {{ normalize_phone('phone_digits', 'has_phone_plus_prefix', 'phone_calling_code', 'phone_trunk_prefix') }}
            as phone_e164,
        first_name,
        last_name,
        account_state,
        is_email_verified,
        has_accepted_marketing,
        marketing_consent_updated_at,
        tags,
        currency_code,
        country_code,
        created_at,
        updated_at,
        _loaded_at,
        cast(customer_id as {{ dbt.type_string() }}) as _natural_key,
        _quarantine_reason,
        _dedupe_rank,
        _row_fingerprint
    from ranked
)

select * from final
