{#- child_rebuilt_days(row_keys, parents): the new_rows and rebuilt_days CTEs of an incremental
    staging model whose rows are stored under their parent's day (_partition_date), read from the
    model's `typed` CTE.

    row_keys: the row's own key columns whose stored copies must be rebuilt too (other versions of the
    row, its parent's other rows); matched against {{ this }} together with _row_fingerprint.
    parents: (parent model, key column) pairs; a row counts as new when it was loaded since the last
    run (incremental_watermark) or when one of its parents was, because a parent that arrives after
    its children turns them from orphan_row into usable rows and moves them to the parent's day.
    rebuilt_days = the days of the new rows, plus the days where these rows, their other versions and
    their parent's other rows are stored now. Only meaningful inside is_incremental(). -#}
{% macro child_rebuilt_days(row_keys, parents) -%}
    new_rows as (
        select
            {%- for key in row_keys %}
            {{ key }},
            {%- endfor %}
            _partition_date,
            _row_fingerprint
        from typed
        where
            _loaded_at > {{ incremental_watermark() }}
            {%- for parent_model, parent_key in parents %}
            or {{ parent_key }} in (
                select loaded_parents.{{ parent_key }}
                from {{ ref(parent_model) }} as loaded_parents
                where loaded_parents._loaded_at > {{ incremental_watermark() }}
            )
            {%- endfor %}
    ),

    rebuilt_days as (
        select new_rows._partition_date from new_rows
        union
        select previous._partition_date
        from {{ this }} as previous
        where
            {%- for key in row_keys %}
            previous.{{ key }} in (select new_rows.{{ key }} from new_rows) or
            {%- endfor %}
            previous._row_fingerprint in (select new_rows._row_fingerprint from new_rows)
    ),
{%- endmacro %}
