{#- segment_error(segment, field, problem): stops compilation with a message naming the segment
    definition, the field (a path such as rule.all[1].op) and what is wrong. -#}
{% macro segment_error(segment, field, problem) -%}
    {%- do exceptions.raise_compiler_error(
        "Segment definition '" ~ segment ~ "', field '" ~ field ~ "': " ~ problem
        ~ " (definitions: models/marts/segments/_segment_definitions.yml; language: docs/segments.md)") -%}
{%- endmacro %}
