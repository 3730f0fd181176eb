{#- Production targets (var production_targets) use a custom schema as-is (staging, intermediate, marts,
    reference), so BI tools see stable names. Any other target is a developer's: its schemas are
    "<target schema>_<custom>" (dev_alice_marts), so dev and prod never write the same schema. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- elif target.name in var('production_targets') -%}
        {{ custom_schema_name | trim }}
    {%- else -%}
        {{ target.schema }}_{{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
