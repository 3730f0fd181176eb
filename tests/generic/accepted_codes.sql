{#- Fails once per value of `column_name` (as text) that is not a code of `code_set` in the
    code_sets seed, with its row count, and once (found_value null) when `code_set` has no code at
    all (a misspelt set would otherwise reject every value for the wrong reason). Nulls pass: pair
    with not_null where needed. The base models quarantine by the same seed rows, so each list lives
    in one place. -#}
{% test accepted_codes(model, column_name, code_set) %}

with

known_codes as (
    select code
    from {{ ref('code_sets') }}
    where code_set = '{{ code_set }}'
),

used_values as (
    select
        cast({{ column_name }} as {{ dbt.type_string() }}) as found_value,
        count(*) as n_rows
    from {{ model }}
    where {{ column_name }} is not null
    group by {{ column_name }}
),

unknown_values as (
    select
        used_values.found_value,
        used_values.n_rows,
        'not a code of {{ code_set }} in seed code_sets' as problem
    from used_values
    left join known_codes
        on used_values.found_value = known_codes.code
    where known_codes.code is null
),

missing_code_set as (
    select
        cast(null as {{ dbt.type_string() }}) as found_value,
        0 as n_rows,
        'code set {{ code_set }} has no codes in seed code_sets' as problem
    where not exists (select 1 from known_codes)
)

select * from unknown_values
union all
select * from missing_code_set

{% endtest %}
