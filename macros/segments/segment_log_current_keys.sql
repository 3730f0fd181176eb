{#- segment_log_current_keys(): a select of segment_membership_log (as_of_date, entity_type,
    entity_key, segment_key, is_primary_segment) with each customer key of the past replaced by the
    key its person has now: followed through identity_merge_log (retired -> surviving key) for up to
    var segment_history_max_merge_hops merges in a row. A key retired without a survivor (its anchor
    erased or blocked) leaves the history: erasure removes a person everywhere. Rows that become
    equal (two merged people in one segment on one date) are kept once. Accounts keep their ids. -#}
{% macro segment_log_current_keys() -%}
    {%- set hops = checked_var('segment_history_max_merge_hops') -%}
    select distinct
        log_rows.as_of_date,
        log_rows.entity_type,
        case
            when log_rows.entity_type <> 'customer' or hop_1.retired_customer_key is null then log_rows.entity_key
            {%- for hop in range(1, hops + 1) %}
            when hop_{{ hop + 1 }}.retired_customer_key is null then hop_{{ hop }}.surviving_customer_key
            {%- endfor %}
        end as entity_key,
        log_rows.segment_key,
        log_rows.is_primary_segment
    from {{ ref('segment_membership_log') }} as log_rows
    left join {{ ref('identity_merge_log') }} as hop_1
        on
            log_rows.entity_type = 'customer'
            and log_rows.entity_key = hop_1.retired_customer_key
            and log_rows.as_of_date <= hop_1.previous_as_of_date
    {%- for hop in range(2, hops + 2) %}
    left join {{ ref('identity_merge_log') }} as hop_{{ hop }}
        on
            hop_{{ hop - 1 }}.surviving_customer_key = hop_{{ hop }}.retired_customer_key
            and hop_{{ hop - 1 }}.as_of_date <= hop_{{ hop }}.previous_as_of_date
    {%- endfor %}
    where
        -- retired without a survivor at some hop: the person is gone
        not (
            {%- for hop in range(1, hops + 1) %}
            (hop_{{ hop }}.retired_customer_key is not null and hop_{{ hop }}.surviving_customer_key is null)
            {{- ' or' if not loop.last }}
            {%- endfor %}
        )
        -- more merges in a row than followed: left out rather than kept under a dead key
        and hop_{{ hops + 1 }}.retired_customer_key is null
{%- endmacro %}
