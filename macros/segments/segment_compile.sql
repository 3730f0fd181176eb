{#- segment_compile(): every segment definition (segment_definitions()) compiled against the
    vocabulary of the seeds (segment_vocabulary()). Returns a mapping:
      definitions  the checked definitions, in file order
      sql          segment key -> SQL boolean over the traits relation (columns named after features
                   and event counts)
      reasons      segment key -> SQL text giving "label = value; ..." for a member
      features     feature name -> catalog entry, every feature some rule reads
      segment_features  segment key -> the features its own rule reads (not through in_segment),
                   in rule order: its defining features (segment_feature_bins_log)
      event_counts the distinct event counts the rules need (alias, event, days, filter_sqls)
    An unknown feature, operator, event or property, a type mismatch, a duplicate key or a cycle of
    segment references stops compilation with a message naming the segment and the field. -#}
{% macro segment_compile() -%}
    {%- set definitions = segment_definitions() -%}
    {%- set by_key = {} -%}
    {%- for definition in definitions -%}
        {%- do by_key.update({definition.key: definition}) -%}
    {%- endfor -%}
    {%- set context = {'definitions': by_key, 'vocabulary': segment_vocabulary(), 'stack': [], 'compiled': {},
        'labels': {}, 'features_used': {}, 'segment_features': {}, 'event_counts': []} -%}
    {%- for definition in definitions -%}
        {%- do segment_compile_one(definition.key, context) -%}
    {%- endfor -%}
    {%- set reasons = {} -%}
    {%- for definition in definitions -%}
        {%- set parts = [] -%}
        {%- for item in context.labels.get(definition.key, []) -%}
            {%- do parts.append(string_literal(('; ' if not loop.first else '') ~ item.label ~ ' = ') ~ ' || '
                ~ item.value_sql) -%}
        {%- endfor -%}
        {%- do reasons.update({definition.key: parts | join(' || ') if parts else string_literal('everyone')}) -%}
    {%- endfor -%}
    {{ return({'definitions': definitions, 'sql': context.compiled, 'reasons': reasons,
        'features': context.features_used, 'segment_features': context.segment_features,
        'event_counts': context.event_counts}) }}
{%- endmacro %}
