-- Σ over persons of the survey and support counts of int_customer_psychographic_features and
-- int_customer_needs_features = the same figures recomputed from the resolved answers and tickets of
-- the spine's persons. The window is recomputed with dateadd where the model uses datediff.
{%- set support_days = checked_var('customer_features_support_window_days') %}
with

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

spine as (
    select customer_key
    from {{ ref('int_customer_spine') }}
),

answers as (
    select
        answers.customer_key,
        answers.question_key,
        answers.answer
    from {{ ref('int_survey_responses_resolved') }} as answers
    inner join spine
        on answers.customer_key = spine.customer_key
    cross join as_of
    where answers.responded_date <= as_of.as_of_date
),

tickets as (
    select
        tickets.ticket_id,
        tickets.category,
        tickets.status,
        tickets.created_date > {{ dbt.dateadd('day', -support_days, 'as_of.as_of_date') }} as is_in_window
    from {{ ref('int_support_tickets_resolved') }} as tickets
    inner join spine
        on tickets.customer_key = spine.customer_key
    cross join as_of
    where tickets.created_date <= as_of.as_of_date
),

survey_expected as (
    select
        count(*) as n_survey_answers,
        count(distinct case when question_key = 'interests' then customer_key || ',' || answer end) as n_interests,
        count(distinct case when question_key = 'values' then customer_key || ',' || answer end) as n_values,
        count(distinct case when question_key = 'motivations' then customer_key || ',' || answer end) as n_motivations
    from answers
),

tickets_expected as (
    select
        count(case when is_in_window then ticket_id end) as n_tickets_in_window,
        count(
            case when category = 'complaint' and status in ('open', 'pending') then ticket_id end
        ) as n_open_complaints
    from tickets
),

survey_actual as (
    select
        sum(n_survey_answers) as n_survey_answers,
        sum(n_interests) as n_interests,
        sum(n_values) as n_values,
        sum(n_motivations) as n_motivations
    from {{ ref('int_customer_psychographic_features') }}
),

tickets_actual as (
    select
        sum(n_tickets_in_window) as n_tickets_in_window,
        sum(n_open_complaints) as n_open_complaints
    from {{ ref('int_customer_needs_features') }}
),

{%- set measures = [
    ('survey', 'n_survey_answers'), ('survey', 'n_interests'), ('survey', 'n_values'),
    ('survey', 'n_motivations'), ('tickets', 'n_tickets_in_window'), ('tickets', 'n_open_complaints'),
] %}

comparison as (
    {%- for domain, measure in measures %}
        select
            '{{ measure }}' as measure,
            cast({{ domain }}_expected.{{ measure }} as {{ dbt.type_bigint() }}) as expected_value,
            cast(coalesce({{ domain }}_actual.{{ measure }}, 0) as {{ dbt.type_bigint() }}) as actual_value
        from {{ domain }}_expected
        cross join {{ domain }}_actual
        {{ "union all" if not loop.last }}
    {%- endfor %}
)

select *
from comparison
where expected_value <> actual_value
