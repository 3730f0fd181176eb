-- Every base_ model must feed quarantine_rows, or its rejected rows would vanish from the audit.
{%- set missing = [] -%}
{%- if execute -%}
    {%- set quarantine = graph.nodes.values() | selectattr('name', 'equalto', 'quarantine_rows') | first -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model' and node.name.startswith('base_')
            and node.unique_id not in quarantine.depends_on.nodes -%}
            {%- do missing.append(node.name) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endif %}

select base_model_missing_from_quarantine_rows
from (
    select cast(null as {{ dbt.type_string() }}) as base_model_missing_from_quarantine_rows
    {% for name in missing %}
        union all
        select '{{ name }}' as base_model_missing_from_quarantine_rows
    {% endfor %}
) as candidates
where base_model_missing_from_quarantine_rows is not null
