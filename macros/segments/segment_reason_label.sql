{#- segment_reason_label(context, segment, label, value_sql): records that `segment`'s rule read
    `label` (a feature, an event count, another segment), whose value `value_sql` (text SQL) the
    membership reason shows; each label once per segment, in the order the rule reads them. -#}
{% macro segment_reason_label(context, segment, label, value_sql) -%}
    {%- set labels = context.labels.setdefault(segment, []) -%}
    {%- if label not in labels | map(attribute='label') | list -%}
        {%- do labels.append({'label': label, 'value_sql': value_sql}) -%}
    {%- endif -%}
{%- endmacro %}
