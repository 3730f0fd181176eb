-- One row per customer (every customer_key of dim_customers) with their churn risk as of the as-of
-- date: the BG/NBD dropout probability 1 - p_alive (customer_clv) blended with an engagement-decline
-- signal (web sessions and email opens + clicks, recent vs prior window as per-day rates, counted in
-- customer_features), cut into bands. Formula and rules: the model description in _scoring__models.yml.
{%- set recent_days = checked_var('churn_recent_window_days') %}
{%- set prior_days = checked_var('churn_prior_window_days') %}
{%- set evidence_events = checked_var('churn_decline_evidence_events') %}
{%- set session_weight = checked_var('churn_session_decline_weight') %}
{%- set email_weight = checked_var('churn_email_decline_weight') %}
{%- set p_alive_weight = checked_var('churn_p_alive_weight') %}
{%- set medium_min = checked_var('churn_band_medium_min') %}
{%- set high_min = checked_var('churn_band_high_min') %}
{%- set critical_min = checked_var('churn_band_critical_min') %}
{#- the vars' ranges and order are checked up front by validate_vars() #}
{%- set rate_type = type_double() %}
{%- set score_decimal = 'decimal(28, 12)' %}

with

features as (
    select
        customer_key,
        as_of_date,
        n_sessions_recent_window,
        n_sessions_prior_window,
        n_email_engagements_recent_window,
        n_email_engagements_prior_window
    from {{ ref('customer_features') }}
),

clv as (
    select
        customer_key,
        p_alive
    from {{ ref('customer_clv') }}
),

channel_counts as (
    select
        customer_key,
        as_of_date,
        cast(n_sessions_recent_window as {{ rate_type }}) as session_recent,
        cast(n_sessions_prior_window as {{ rate_type }}) as session_prior,
        cast(n_email_engagements_recent_window as {{ rate_type }}) as email_recent,
        cast(n_email_engagements_prior_window as {{ rate_type }}) as email_prior
    from features
),

-- Per channel: the share of the prior per-day rate lost in the recent window (floored at 0), damped
-- by n_prior / (n_prior + evidence events). No event in either window: null (no evidence, not zero
-- decline); events only in the recent window: 0 (engagement started or came back).
channel_declines as (
    select
        customer_key,
        {%- for channel in ['session', 'email'] %}
            case
                when {{ channel }}_recent + {{ channel }}_prior = 0 then null
                when {{ channel }}_prior = 0 then 0.0
                else
                    greatest(
                        0.0, 1.0 - ({{ channel }}_recent / {{ recent_days }}) / ({{ channel }}_prior / {{ prior_days }})
                    )
                    * {{ channel }}_prior / ({{ channel }}_prior + {{ evidence_events }})
            end as {{ channel }}_decline,
        {%- endfor %}
        as_of_date
    from channel_counts
),

-- weighted mean over the channels with evidence; null when no channel with a positive weight has any
engagement_declines as (
    select
        customer_key,
        as_of_date,
        session_decline,
        email_decline,
        (
            coalesce({{ session_weight }} * session_decline, 0.0)
            + coalesce({{ email_weight }} * email_decline, 0.0)
        )
        / nullif(
            case when session_decline is null then 0.0 else {{ session_weight }} end
            + case when email_decline is null then 0.0 else {{ email_weight }} end,
            0.0
        ) as engagement_decline
    from channel_declines
),

-- prospects (no counted order, so no p_alive) get no score; without engagement evidence the score
-- is the dropout probability alone
scores as (
    select
        engagement_declines.customer_key,
        engagement_declines.as_of_date,
        clv.p_alive,
        engagement_declines.session_decline,
        engagement_declines.email_decline,
        engagement_declines.engagement_decline,
        case
            when clv.p_alive is null then null
            when engagement_declines.engagement_decline is null then 1.0 - clv.p_alive
            else
                {{ p_alive_weight }} * (1.0 - clv.p_alive)
                + (1.0 - {{ p_alive_weight }}) * engagement_declines.engagement_decline
        end as churn
    from engagement_declines
    left join clv
        on engagement_declines.customer_key = clv.customer_key
),

-- Scores are published with 6 decimals and the band reads the published score, so a score shown as
-- 0.500000 is always high, whatever the last bits of the double were on this engine.
rounded as (
    select
        customer_key,
        as_of_date,
        p_alive,
        cast(round(cast(session_decline as {{ score_decimal }}), 6) as {{ rate_type }}) as session_decline_score,
        cast(round(cast(email_decline as {{ score_decimal }}), 6) as {{ rate_type }}) as email_decline_score,
        cast(round(cast(engagement_decline as {{ score_decimal }}), 6) as {{ rate_type }}) as engagement_decline_score,
        cast(round(cast(churn as {{ score_decimal }}), 6) as {{ rate_type }}) as churn_score
    from scores
),

final as (
    select
        cast(customer_key as {{ dbt.type_string() }}) as customer_key,
        cast(as_of_date as date) as as_of_date,
        cast(p_alive as {{ rate_type }}) as p_alive,
        session_decline_score,
        email_decline_score,
        engagement_decline_score,
        churn_score,
        cast(
            case
                when churn_score is null then 'prospect'
                when churn_score >= {{ critical_min }} then 'critical'
                when churn_score >= {{ high_min }} then 'high'
                when churn_score >= {{ medium_min }} then 'medium'
                else 'low'
            end as {{ dbt.type_string() }}
        ) as churn_band
    from rounded
)

select * from final
