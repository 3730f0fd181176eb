-- One row per person with a consent event: the latest event per channel and purpose decides
-- (ties: consent_event_id). A pair the person never answered is null.
{%- set consents = consent_pairs() %}
with

consent_events as (
    select
        consent_event_id,
        customer_key,
        channel,
        purpose,
        is_granted,
        occurred_at
    from {{ ref('int_consent_events_resolved') }}
    where customer_key is not null
),

consent_ranks as (
    select
        customer_key,
        channel,
        purpose,
        is_granted,
        row_number() over (
            partition by customer_key, channel, purpose
            order by occurred_at desc, consent_event_id desc
        ) as consent_rank
    from consent_events
),

final as (
    select
        {%- for channel, purpose in consents %}
            {%- set is_pair = "channel = '" ~ channel ~ "' and purpose = '" ~ purpose ~ "'" %}
            {%- set granted = "case when " ~ is_pair ~ " then is_granted end" %}
            {{ dbt.bool_or(granted) }} as has_{{ channel }}_{{ purpose }}_consent,
        {%- endfor %}
        customer_key
    from consent_ranks
    where consent_rank = 1
    group by customer_key
)

select * from final
