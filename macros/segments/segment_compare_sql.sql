{#- segment_compare_sql(column, data_type, is_set, condition, subject, segment, field): the SQL
    boolean of one comparison (`op` and `value` of `condition`) on a feature or event property, after
    checking the operator exists, suits the type (integer, decimal, double, text, boolean) and the
    value matches it. A comparison on a null is false, never null, so `not` stays two-valued; only
    `is null` holds for nulls. `contains` on a set feature (sorted, comma-separated) tests
    membership of the whole element; on other text it tests for a substring. -#}
{% macro segment_compare_sql(column, data_type, is_set, condition, subject, segment, field) -%}
    {%- set numeric = data_type in ['integer', 'decimal', 'double'] -%}
    {%- set ops_by_type = {
        'numeric': ['=', '!=', '<', '<=', '>', '>=', 'between', 'in', 'not in', 'is null', 'is not null'],
        'text': ['=', '!=', 'in', 'not in', 'contains', 'is null', 'is not null'],
        'boolean': ['=', '!=', 'is null', 'is not null']} -%}
    {%- set type_class = 'numeric' if numeric else data_type -%}
    {%- set op = condition.get('op') -%}
    {%- if op not in ops_by_type['numeric'] + ['contains'] -%}
        {%- do segment_error(segment, field ~ '.op', "unknown operator " ~ segment_show(op) ~ '; use one of '
            ~ (ops_by_type['numeric'] + ['contains']) | join(', ')) -%}
    {%- endif -%}
    {%- if type_class not in ops_by_type or op not in ops_by_type[type_class] -%}
        {%- do segment_error(segment, field ~ '.op', "operator '" ~ op ~ "' does not apply to " ~ subject
            ~ ' of type ' ~ data_type ~ '; it takes ' ~ ops_by_type.get(type_class, []) | join(', ')) -%}
    {%- endif -%}
    {%- if op in ['is null', 'is not null'] -%}
        {%- if 'value' in condition -%}
            {%- do segment_error(segment, field ~ '.value', "'" ~ op ~ "' takes no value") -%}
        {%- endif -%}
        {{ return('(' ~ column ~ ' ' ~ op ~ ')') }}
    {%- endif -%}
    {%- if 'value' not in condition -%}
        {%- do segment_error(segment, field ~ '.value', "missing; '" ~ op ~ "' compares with a value") -%}
    {%- endif -%}
    {%- set value = condition['value'] -%}
    {%- set values = value if op in ['between', 'in', 'not in'] else [value] -%}
    {%- if op in ['between', 'in', 'not in'] and (value is string or value is not sequence or value | length == 0
            or (op == 'between' and value | length != 2)) -%}
        {%- do segment_error(segment, field ~ '.value', "'" ~ op ~ "' takes " ~ ('a list [low, high]'
            if op == 'between' else 'a non-empty list') ~ ', not ' ~ segment_show(value)) -%}
    {%- endif -%}
    {%- set literals = [] -%}
    {%- for item in values -%}
        {%- set fits = (numeric and item is number and item is not boolean)
            or (data_type == 'text' and item is string) or (data_type == 'boolean' and item is boolean) -%}
        {%- if not fits -%}
            {%- do segment_error(segment, field ~ '.value', 'type mismatch: ' ~ subject ~ ' is ' ~ data_type
                ~ ', the value ' ~ segment_show(item) ~ ' is not' ~ (' (quote text that YAML reads as true, false'
                ~ ' or a number)' if data_type == 'text' else '')) -%}
        {%- endif -%}
        {%- do literals.append(string_literal(item) if item is string
            else (('true' if item else 'false') if item is boolean else item | string)) -%}
    {%- endfor -%}
    {%- if op == 'between' and values[0] > values[1] -%}
        {%- do segment_error(segment, field ~ '.value', 'between [low, high] needs low <= high, not '
            ~ segment_show(value)) -%}
    {%- endif -%}
    {%- if op == 'between' -%}
        {%- set test = column ~ ' between ' ~ literals[0] ~ ' and ' ~ literals[1] -%}
    {%- elif op in ['in', 'not in'] -%}
        {%- set test = column ~ ' ' ~ op ~ ' (' ~ literals | join(', ') ~ ')' -%}
    {%- elif op == 'contains' and is_set -%}
        {%- set test = dbt.position(string_literal(',' ~ value ~ ','), "',' || " ~ column ~ " || ','") ~ ' > 0' -%}
    {%- elif op == 'contains' -%}
        {%- set test = dbt.position(literals[0], column) ~ ' > 0' -%}
    {%- else -%}
        {%- set test = column ~ ' ' ~ ('<>' if op == '!=' else op) ~ ' ' ~ literals[0] -%}
    {%- endif -%}
    {{ return('coalesce(' ~ test ~ ', false)') }}
{%- endmacro %}
