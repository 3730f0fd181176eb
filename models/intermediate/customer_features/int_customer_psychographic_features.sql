-- One row per person of int_customer_spine (prospects included) with their survey answers
-- (int_survey_responses_resolved) dated on or before the as-of date: the latest answer to each
-- question, the set of distinct answers to each question and the answer count. Column names are
-- fixed: the three questions are the survey's (staging accepts no other question_key).
{%- set count_type = dbt.type_bigint() %}
{%- set text_type = dbt.type_string() %}

with

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

customers as (
    select customer_key
    from {{ ref('int_customer_spine') }}
),

survey_answers as (
    select
        int_survey_responses_resolved.customer_key,
        int_survey_responses_resolved.response_id,
        int_survey_responses_resolved.question_key,
        int_survey_responses_resolved.answer,
        int_survey_responses_resolved.responded_at
    from {{ ref('int_survey_responses_resolved') }} as int_survey_responses_resolved
    cross join as_of
    where
        int_survey_responses_resolved.customer_key is not null
        and int_survey_responses_resolved.responded_date <= as_of.as_of_date
),

-- latest answer per person and question; same responded_at: the higher response_id wins
answers_ranked as (
    select
        customer_key,
        question_key,
        answer,
        row_number() over (
            partition by customer_key, question_key
            order by responded_at desc, response_id desc
        ) as answer_rank
    from survey_answers
),

answer_sets as (
    select
        customer_key,
        question_key,
        {{ string_agg_distinct_sorted('answer', "','") }} as answer_set,
        count(distinct answer) as n_distinct_answers,
        count(response_id) as n_answers
    from survey_answers
    group by customer_key, question_key
),

survey_features as (
    select
        answer_sets.customer_key,
        max(case when answer_sets.question_key = 'interests' then answers_ranked.answer end) as latest_interest,
        max(case when answer_sets.question_key = 'values' then answers_ranked.answer end) as latest_value,
        max(
            case when answer_sets.question_key = 'motivations' then answers_ranked.answer end
        ) as latest_motivation,
        max(case when answer_sets.question_key = 'interests' then answer_sets.answer_set end) as interest_set,
        max(case when answer_sets.question_key = 'values' then answer_sets.answer_set end) as value_set,
        max(case when answer_sets.question_key = 'motivations' then answer_sets.answer_set end) as motivation_set,
        sum(
            case when answer_sets.question_key = 'interests' then answer_sets.n_distinct_answers else 0 end
        ) as n_interests,
        sum(case when answer_sets.question_key = 'values' then answer_sets.n_distinct_answers else 0 end) as n_values,
        sum(
            case when answer_sets.question_key = 'motivations' then answer_sets.n_distinct_answers else 0 end
        ) as n_motivations,
        sum(answer_sets.n_answers) as n_survey_answers
    from answer_sets
    inner join answers_ranked
        on
            answer_sets.customer_key = answers_ranked.customer_key
            and answer_sets.question_key = answers_ranked.question_key
            and answers_ranked.answer_rank = 1
    group by answer_sets.customer_key
),

final as (
    select
        cast(customers.customer_key as {{ text_type }}) as customer_key,
        cast(as_of.as_of_date as date) as as_of_date,
        cast(survey_features.latest_interest as {{ text_type }}) as latest_interest,
        cast(survey_features.latest_value as {{ text_type }}) as latest_value,
        cast(survey_features.latest_motivation as {{ text_type }}) as latest_motivation,
        cast(survey_features.interest_set as {{ text_type }}) as interest_set,
        cast(survey_features.value_set as {{ text_type }}) as value_set,
        cast(survey_features.motivation_set as {{ text_type }}) as motivation_set,
        cast(coalesce(survey_features.n_interests, 0) as {{ count_type }}) as n_interests,
        cast(coalesce(survey_features.n_values, 0) as {{ count_type }}) as n_values,
        cast(coalesce(survey_features.n_motivations, 0) as {{ count_type }}) as n_motivations,
        cast(coalesce(survey_features.n_survey_answers, 0) as {{ count_type }}) as n_survey_answers,
        survey_features.customer_key is not null as has_survey_answers
    from customers
    cross join as_of
    left join survey_features
        on customers.customer_key = survey_features.customer_key
)

select * from final
