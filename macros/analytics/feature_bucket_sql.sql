{#- feature_bucket_sql(column, data_type, unit): a text bucket of a feature value, the same for every
    run and engine, for the population stability index of segment_feature_drift: booleans and text
    as their value; shares (unit 'share ...') and sentiments ('sentiment ...') in tenths; other
    numbers in powers of two of their magnitude (0, [1, 2), [2, 4), ... up to 2^30, then one
    bucket), signed. Null is '(null)'. Plain comparisons with literals, no logarithm: a log rounds
    differently from engine to engine at the bucket edges. -#}
{% macro feature_bucket_sql(column, data_type, unit) -%}
    {%- if data_type == 'boolean' -%}
        case when {{ column }} is null then '(null)' when {{ column }} then 'true' else 'false' end
    {%- elif data_type == 'text' -%}
        coalesce(cast({{ column }} as {{ dbt.type_string() }}), '(null)')
    {%- elif unit.startswith('share') or unit.startswith('sentiment') -%}
        case
            when {{ column }} is null then '(null)'
            {%- for tenth in range(-10, 10) %}
            when {{ column }} < {{ (tenth + 1) / 10 }} then '{{ "%+.1f" | format(tenth / 10) }}'
            {%- endfor %}
            else '+1.0'
        end
    {%- else -%}
        case
            when {{ column }} is null then '(null)'
            when {{ column }} <= -1 then '-' || case
                {%- for power in range(0, 31) %}
                when -({{ column }}) < {{ 2 ** (power + 1) }} then '2^{{ "%02d" | format(power) }}'
                {%- endfor %}
                else '2^31+' end
            when {{ column }} < 1 then '0'
            {%- for power in range(0, 31) %}
            when {{ column }} < {{ 2 ** (power + 1) }} then '+2^{{ "%02d" | format(power) }}'
            {%- endfor %}
            else '+2^31+'
        end
    {%- endif -%}
{%- endmacro %}
