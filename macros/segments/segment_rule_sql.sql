{#- segment_rule_sql(rule, field, context): the SQL boolean of one rule node, checked as it
    compiles. A node is a mapping with exactly one of:
      all: [nodes] (all hold; an empty list holds for everyone), any: [nodes] (at least one holds),
      not: node, feature: <catalog feature> (with op, value), event: <seed segment_event_types event>
      (with at_least | at_most | exactly, in_last_days, where, did), in_segment: <key>,
      not_in_segment: <key>.
    Features become columns of the traits relation, event conditions counts (context.event_counts,
    shared by all segments); each node adds what it read to the segment's reason labels. -#}
{% macro segment_rule_sql(rule, field, context) -%}
    {%- set segment = context.stack[-1] -%}
    {%- set kinds = ['all', 'any', 'not', 'feature', 'event', 'in_segment', 'not_in_segment'] -%}
    {%- set fields = {'all': ['all'], 'any': ['any'], 'not': ['not'], 'feature': ['feature', 'op', 'value'],
        'event': ['event', 'did', 'at_least', 'at_most', 'exactly', 'in_last_days', 'where'],
        'in_segment': ['in_segment'], 'not_in_segment': ['not_in_segment']} -%}
    {%- set found = [] -%}
    {%- if rule is mapping -%}
        {%- for kind in kinds if kind in rule -%}
            {%- do found.append(kind) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if found | length != 1 -%}
        {%- do segment_error(segment, field, 'a condition is a mapping with exactly one of ' ~ kinds | join(', ')
            ~ ', not ' ~ segment_show(rule)) -%}
    {%- endif -%}
    {%- set kind = found[0] -%}
    {%- for name in rule if name not in fields[kind] -%}
        {%- do segment_error(segment, field ~ '.' ~ name, "unknown field in a '" ~ kind ~ "' condition; it takes "
            ~ fields[kind] | join(', ')) -%}
    {%- endfor -%}

    {%- if kind in ['all', 'any'] -%}
        {%- set items = rule[kind] -%}
        {%- if items is string or items is not sequence or (kind == 'any' and items | length == 0) -%}
            {%- do segment_error(segment, field ~ '.' ~ kind, kind ~ ' takes a list of conditions'
                ~ (' (at least one)' if kind == 'any' else '')) -%}
        {%- endif -%}
        {%- if items | length == 0 -%}
            {{ return('true') }}
        {%- endif -%}
        {%- set parts = [] -%}
        {%- for item in items -%}
            {%- do parts.append(segment_rule_sql(item, field ~ '.' ~ kind ~ '[' ~ loop.index0 ~ ']', context)) -%}
        {%- endfor -%}
        {{ return('(' ~ parts | join(' and ' if kind == 'all' else ' or ') ~ ')') }}

    {%- elif kind == 'not' -%}
        {{ return('(not ' ~ segment_rule_sql(rule['not'], field ~ '.not', context) ~ ')') }}

    {%- elif kind == 'feature' -%}
        {%- set name = rule['feature'] -%}
        {%- if name not in context.vocabulary.features -%}
            {%- do segment_error(segment, field ~ '.feature', 'unknown feature ' ~ segment_show(name)
                ~ '; features are the feature_name column of seed feature_catalog') -%}
        {%- endif -%}
        {%- set feature = context.vocabulary.features[name] -%}
        {%- set entity = context.definitions[segment].entity -%}
        {%- if feature.entity != entity -%}
            {%- do segment_error(segment, field ~ '.feature', "feature '" ~ name ~ "' describes an " ~ feature.entity
                ~ ' (seed feature_catalog), this segment an ' ~ entity) -%}
        {%- endif -%}
        {%- do context.features_used.update({name: feature}) -%}
        {%- set defining = context.segment_features.setdefault(segment, []) -%}
        {%- if name not in defining -%}{%- do defining.append(name) -%}{%- endif -%}
        {%- do segment_reason_label(context, segment, name, segment_value_text('traits.' ~ name, feature.data_type)) -%}
        {{ return(segment_compare_sql('traits.' ~ name, feature.data_type, feature.is_set, rule,
            "feature '" ~ name ~ "'", segment, field)) }}

    {%- elif kind == 'event' -%}
        {{ return(segment_event_sql(rule, field, context)) }}

    {%- else -%}
        {%- set key = rule[kind] -%}
        {%- set definition = context.definitions.get(key) if key is string else none -%}
        {%- if definition is none -%}
            {%- do segment_error(segment, field ~ '.' ~ kind, 'unknown segment ' ~ segment_show(key)) -%}
        {%- endif -%}
        {%- if definition.entity != context.definitions[segment].entity -%}
            {%- do segment_error(segment, field ~ '.' ~ kind, "segment '" ~ key ~ "' is of entity "
                ~ definition.entity ~ ', this one of ' ~ context.definitions[segment].entity) -%}
        {%- endif -%}
        {%- set member = segment_compile_one(key, context) -%}
        {%- do segment_reason_label(context, segment, 'in ' ~ key,
            "case when " ~ member ~ " then 'yes' else 'no' end") -%}
        {{ return(member if kind == 'in_segment' else '(not ' ~ member ~ ')') }}
    {%- endif -%}
{%- endmacro %}
