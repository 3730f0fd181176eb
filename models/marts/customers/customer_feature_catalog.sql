-- One row per customer feature (seed feature_catalog) with the current length of its window, read
-- from the vars when the project compiles: what dbt docs and a segment builder show next to a feature.
{%- set whens = [] %}
{%- for var_name, rule in var_rules().items() if var_name.endswith('_days') %}
    {%- if rule.kind == 'windows' %}
        {%- for window, days in fixed_key_var_items(var_name) %}
            {%- do whens.append("when catalog.window_var = '" ~ var_name ~ "' and catalog.window_name = '"
                ~ window ~ "' then " ~ days) %}
        {%- endfor %}
    {%- elif rule.kind == 'int' %}
        {%- do whens.append("when catalog.window_var = '" ~ var_name ~ "' then " ~ checked_var(var_name)) %}
    {%- endif %}
{%- endfor %}
with

catalog as (
    select
        feature_name,
        entity,
        model,
        column_name,
        family,
        data_type,
        unit,
        window_var,
        window_name,
        is_pii,
        moves_with_time,
        description
    from {{ ref('feature_catalog') }}
),

final as (
    select
        catalog.feature_name,
        catalog.entity,
        catalog.model,
        catalog.column_name,
        catalog.family,
        catalog.data_type,
        catalog.unit,
        catalog.window_var,
        catalog.window_name,
        case
            {%- for when in whens %}
                {{ when }}
            {%- endfor %}
        end as window_days,
        catalog.is_pii,
        catalog.moves_with_time,
        catalog.description
    from catalog
)

select * from final
