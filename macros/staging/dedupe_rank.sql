{#- Rank rows that share a natural key, among usable rows only (quarantined rows are ranked apart),
    so rank 1 is the row a staging model keeps. `order_by` is the model's documented rule; the raw
    payload (the whole raw row as JSON text) is the final tie-breaker, so the pick never depends on
    row order. Expects _quarantine_reason and _raw_payload in scope. -#}
{% macro dedupe_rank(partition_by, order_by) -%}
    row_number() over (
        partition by {{ partition_by }}, (_quarantine_reason is null)
        order by {{ order_by }}, _raw_payload
    )
{%- endmacro %}
