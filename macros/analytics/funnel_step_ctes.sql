{#- The CTEs of a closed funnel over `events_cte` (customer_key, event_name, event_at): one
    reached_step_<n> per step of `steps` (event names, in order) holding each customer's first event
    of step n at or after its reach of step n - 1 (step 1: its first event), with that earlier reach
    as previous_reached_at; `reached` stacks them with step_number; `funnel_steps` lists the steps.
    Ends with a comma. -#}
{% macro funnel_step_ctes(events_cte, steps) -%}
{%- for step in steps %}
reached_step_{{ loop.index }} as (
    select
        {{ events_cte }}.customer_key,
        min({{ events_cte }}.event_at) as reached_at,
        {%- if loop.first %}
        cast(null as {{ dbt.type_timestamp() }}) as previous_reached_at
        {%- else %}
        min(previous_step.reached_at) as previous_reached_at
        {%- endif %}
    from {{ events_cte }}
    {%- if not loop.first %}
    inner join reached_step_{{ loop.index - 1 }} as previous_step
        on
            {{ events_cte }}.customer_key = previous_step.customer_key
            and {{ events_cte }}.event_at >= previous_step.reached_at
    {%- endif %}
    where {{ events_cte }}.event_name = {{ string_literal(step) }}
    group by {{ events_cte }}.customer_key
),
{% endfor %}
reached as (
    {%- for step in steps %}
    select
        customer_key,
        {{ loop.index }} as step_number,
        {{ string_literal(step) }} as step_event_name,
        reached_at,
        previous_reached_at
    from reached_step_{{ loop.index }}
    {{- '\n    union all' if not loop.last }}
    {%- endfor %}
),

funnel_steps as (
    {%- for step in steps %}
    select
        {{ loop.index }} as step_number,
        {{ string_literal(step) }} as step_event_name
    {{- '\n    union all' if not loop.last }}
    {%- endfor %}
),
{%- endmacro %}
