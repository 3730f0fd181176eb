{#- segment_definitions(): the segments declared under meta.segments of model segment_definitions
    (models/marts/segments/_segment_definitions.yml), each checked field by field: required fields
    present, no unknown field, types, family in var segment_families, entity customer or account,
    keys unique and usable as column names; max_share defaults to var segment_default_max_share. Rules are checked when they compile
    (segment_compile). Returns a list of mappings with every optional field filled in. While dbt
    parses the project (execute false) the definitions are not read and the list is empty. -#}
{% macro segment_definitions() -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set node = graph.nodes.get('model.' ~ project_name ~ '.segment_definitions') -%}
    {%- set declared = node.config.meta.get('segments') if node else none -%}
    {%- if declared is none or declared is string or declared is not sequence or declared | length == 0 -%}
        {%- do exceptions.raise_compiler_error(
            "No segment definitions: models/marts/segments/_segment_definitions.yml must list them under"
            ~ " config.meta.segments of model segment_definitions (docs/segments.md)") -%}
    {%- endif -%}
    {%- set families = checked_var('segment_families') -%}
    {%- set required = {'key': 'text', 'name': 'text', 'family': 'text', 'entity': 'text', 'description': 'text',
        'rule': 'mapping', 'priority': 'int', 'min_size': 'int', 'owner': 'text', 'version': 'int'} -%}
    {%- set optional = {'is_primary': 'bool', 'max_share': 'share'} -%}
    {%- set definitions = [] -%}
    {%- set seen = {} -%}
    {%- for item in declared -%}
        {%- set position = 'segments[' ~ loop.index0 ~ ']' -%}
        {%- if item is not mapping -%}
            {%- do segment_error(position, position, 'a definition must be a mapping of fields') -%}
        {%- endif -%}
        {%- set label = item.get('key') if item.get('key') is string else position -%}
        {%- for field in item if field not in required and field not in optional -%}
            {%- do segment_error(label, field, 'unknown field; a definition has ' ~ (required.keys() | list
                + optional.keys() | list) | join(', ')) -%}
        {%- endfor -%}
        {%- for field, kind in required.items() if field not in item or item[field] is none -%}
            {%- do segment_error(label, field, 'missing; every definition needs ' ~ required.keys() | join(', ')) -%}
        {%- endfor -%}
        {%- for field, kind in (required.items() | list) + (optional.items() | list) if field in item -%}
            {%- set value = item[field] -%}
            {%- set ok = (kind == 'text' and value is string and value | trim != '')
                or (kind == 'mapping' and value is mapping)
                or (kind == 'int' and value is number and value is not boolean and value == value | int)
                or (kind == 'bool' and value is boolean)
                or (kind == 'share' and value is number and value is not boolean and value > 0 and value <= 1) -%}
            {%- if not ok -%}
                {%- do segment_error(label, field, 'must be ' ~ {'text': 'non-empty text', 'mapping':
                    'a condition (a mapping)', 'int': 'a whole number', 'bool': 'true or false',
                    'share': 'a share above 0 and at most 1'}[kind]
                    ~ ', not ' ~ segment_show(value)) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- set key = item['key'] -%}
        {%- if not modules.re.match('^[a-z][a-z0-9_]{0,59}$', key) -%}
            {%- do segment_error(key, 'key', 'must be snake_case: a lower-case letter, then lower-case letters,'
                ~ ' digits or _, at most 60 characters') -%}
        {%- endif -%}
        {%- if key in seen -%}
            {%- do segment_error(key, 'key', 'duplicate key: ' ~ seen[key] ~ ' and ' ~ position ~ ' both use it') -%}
        {%- endif -%}
        {%- do seen.update({key: position}) -%}
        {%- if item['family'] not in families -%}
            {%- do segment_error(key, 'family', "unknown family '" ~ item['family'] ~ "'; var segment_families lists "
                ~ families | join(', ')) -%}
        {%- endif -%}
        {%- if item['entity'] not in ['customer', 'account'] -%}
            {%- do segment_error(key, 'entity', "unknown entity '" ~ item['entity'] ~ "'; use customer or account") -%}
        {%- endif -%}
        {%- if item['min_size'] < 0 or item['version'] < 1 -%}
            {%- do segment_error(key, 'min_size' if item['min_size'] < 0 else 'version',
                'min_size must be 0 or more and version 1 or more') -%}
        {%- endif -%}
        {%- set definition = {'is_primary': false, 'max_share': checked_var('segment_default_max_share')} -%}
        {%- do definition.update(item) -%}
        {%- do definitions.append(definition) -%}
    {%- endfor -%}
    {{ return(definitions) }}
{%- endmacro %}
