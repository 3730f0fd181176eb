-- depends_on: {{ ref('quarantine_reasons') }}
{{ config(materialized='table') }}
{%- set min_age_years = checked_var('min_customer_age_years') %}
{%- set max_age_years = checked_var('max_customer_age_years') %}

with

source as (
    select raw_rows.* from {{ raw_source('crm', 'contacts') }} as raw_rows
),

country_aliases as (
    select
        country_alias,
        country_code
    from {{ ref('country_aliases') }}
),

gender_aliases as (
    select
        gender_alias,
        gender
    from {{ ref('gender_aliases') }}
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
        nullif(trim(source.contact_id), '') as contact_id,
        {{ normalize_email('source.email') }} as email,
        {{ phone_digits('source.phone') }} as phone_digits,
        coalesce(trim(source.phone) like '+%', false) as has_phone_plus_prefix,
        coalesce(country_codes.calling_code, default_region.calling_code) as phone_calling_code,
        case
            when country_codes.calling_code is null then default_region.trunk_prefix
            else country_codes.trunk_prefix
        end as phone_trunk_prefix,
        nullif(trim(source.first_name), '') as first_name,
        nullif(trim(source.last_name), '') as last_name,
        {{ try_cast_as("nullif(trim(source.birth_date), '')", 'date') }} as birth_date,
        -- a blank gender or a spelling the seed does not list is unknown; the string type, not the
        -- seed's varchar(32)
        cast(coalesce(gender_aliases.gender, 'unknown') as {{ dbt.type_string() }}) as gender,
        nullif(trim(source.city), '') as city,
        nullif(trim(source.region), '') as region,
        upper(nullif(trim(source.postcode), '')) as postcode,
        country_aliases.country_code,
        nullif(trim(source.income_band), '') as income_band,
        nullif(trim(source.job_title), '') as job_title,
        nullif(trim(source.account_id), '') as account_id,
        coalesce(source.email_verified, false) as is_email_verified,
        {{ parse_timestamp_utc('source.created_at') }} as created_at,
        {{ parse_timestamp_utc('source.updated_at') }} as updated_at,
        source._loaded_at,
        nullif(trim(source.created_at), '') is not null as has_created_at_text,
        nullif(trim(source.updated_at), '') is not null as has_updated_at_text,
        {{ row_fingerprint('source') }} as _row_fingerprint
    from source
    left join country_aliases
        on lower(trim(source.country)) = country_aliases.country_alias
    left join gender_aliases
        on lower(trim(source.gender)) = gender_aliases.gender_alias
    left join country_codes
        on country_aliases.country_code = country_codes.country_code
    cross join default_region
),

validated as (
    select
        *,
        case
            when contact_id is null then 'missing_key'
            when has_created_at_text and created_at is null then 'unparseable_timestamp'
            when has_updated_at_text and updated_at is null then 'unparseable_timestamp'
            when created_at > {{ dbt.dateadd('day', var('future_timestamp_tolerance_days'), '_loaded_at') }}
                then 'future_timestamp'
            when updated_at > {{ dbt.dateadd('day', var('future_timestamp_tolerance_days'), '_loaded_at') }}
                then 'future_timestamp'
            when created_at < cast('{{ var("min_plausible_date") }}' as {{ dbt.type_timestamp() }})
                then 'implausible_timestamp'
            when updated_at < created_at then 'invalid_date_range'
        end as _quarantine_reason
    from typed
),

ranked as (
    -- latest version of a contact wins; then the latest load
    {{ rank_duplicates('validated', 'contact_id', 'updated_at desc nulls last, _loaded_at desc nulls last') }}
),

final as (
    select
        contact_id,
        email,
        {{ normalize_phone('phone_digits', 'has_phone_plus_prefix', 'phone_calling_code', 'phone_trunk_prefix') }}
            as phone_e164,
        first_name,
        last_name,
        -- impossible birth dates are nulled, not quarantined: the contact is still usable
        case
            when birth_date <= {{ dbt.dateadd('year', -min_age_years, 'cast(_loaded_at as date)') }}
                and birth_date >= {{ dbt.dateadd('year', -max_age_years, 'cast(_loaded_at as date)') }}
                then birth_date
        end as birth_date,
        gender,
        city,
        region,
        postcode,
        country_code,
        income_band,
        job_title,
        account_id,
        is_email_verified,
        created_at,
        updated_at,
        _loaded_at,
        contact_id as _natural_key,
        _quarantine_reason,
        _dedupe_rank,
        _row_fingerprint
    from ranked
)

select * from final
