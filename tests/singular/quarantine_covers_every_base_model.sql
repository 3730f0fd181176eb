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

{% if missing %}
    {% for name in missing %}
        select '{{ name }}' as base_model_missing_from_quarantine_rows
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
{% else %}
    select 'none' as base_model_missing_from_quarantine_rows
    where 1 = 0
{% endif %}
