{#- identity_observations(evidence_source, relation, left_type, left_column, right_columns,
    lone_identifier, where): the identity evidence of one kind of record, as rows of
    int_identity_links (before repeated pairs are collapsed). One `select` per entry of right_columns
    pairs the record's main identifier with that other identifier, and with lone_identifier one more
    gives the main identifier alone (right side null), so it becomes a node even when the record
    carries nothing else. A pair needs both identifiers; `relation` has first_observed_at,
    last_observed_at and n_observations. The selects are joined by `union all`. -#}
{% macro identity_observations(
    evidence_source, relation, left_type, left_column, right_columns, lone_identifier=true, where=none
) -%}
    {%- set right_sides = right_columns.items() | list + ([(none, none)] if lone_identifier else []) -%}
    {%- for right_type, right_column in right_sides -%}
    select
        {{ string_literal(evidence_source) }} as evidence_source,
        {{ string_literal(left_type) }} as left_type,
        {{ left_column }} as left_value,
        {{ string_literal(right_type) if right_type else 'null' }} as right_type,
        {{ right_column if right_column else 'null' }} as right_value,
        first_observed_at,
        last_observed_at,
        n_observations
    from {{ relation }}
    where
        {{ left_column }} is not null
        {%- if right_column and right_column != left_column %} and {{ right_column }} is not null{% endif %}
        {%- if where %} and ({{ where }}){% endif %}
    {%- if not loop.last %}
    union all
    {% endif %}
    {%- endfor %}
{%- endmacro %}
