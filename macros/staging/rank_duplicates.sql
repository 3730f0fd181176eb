{#- The body of a `ranked` CTE: every row of `relation` plus _dedupe_rank, the row's rank among the
    usable rows (_quarantine_reason is null) sharing `key_columns`, by `order_by` (the model's
    documented rule) and then _row_fingerprint, so the kept row never depends on row order.
    Quarantined rows and rows whose key is unique get rank 1 without a sort: only keys that occur
    more than once go through the window, which keeps wide tables (web events) fast.
    `relation` must carry _quarantine_reason and _row_fingerprint. State `nulls last` (or first) on
    every column of `order_by`: DuckDB sorts nulls last either way, PostgreSQL first when descending,
    so an implicit null order keeps a different row on each engine. -#}
{% macro rank_duplicates(relation, key_columns, order_by) -%}
    {%- set keys = [key_columns] if key_columns is string else key_columns -%}
    {%- set duplicated_keys -%}
        (
            select {{ keys | join(', ') }}
            from {{ relation }}
            where _quarantine_reason is null
            group by {{ keys | join(', ') }}
            having count(*) > 1
        )
    {%- endset -%}
    {%- set joins_duplicated_keys -%}
        {%- for key in keys %}{% if not loop.first %} and {% endif %}{{ relation }}.{{ key }} = duplicated_keys.{{ key }}{% endfor -%}
    {%- endset %}
    select
        {{ relation }}.*,
        1 as _dedupe_rank
    from {{ relation }}
    left join {{ duplicated_keys }} as duplicated_keys
        on {{ joins_duplicated_keys }}
    where {{ relation }}._quarantine_reason is not null or duplicated_keys.{{ keys[0] }} is null

    union all

    select
        {{ relation }}.*,
        row_number() over (
            partition by {% for key in keys %}{{ relation }}.{{ key }}{% if not loop.last %}, {% endif %}{% endfor %}
            order by {{ order_by }}, {{ relation }}._row_fingerprint
        ) as _dedupe_rank
    from {{ relation }}
    inner join {{ duplicated_keys }} as duplicated_keys
        on {{ joins_duplicated_keys }}
    where {{ relation }}._quarantine_reason is null
{%- endmacro %}
