{#- segment_event_sql(rule, field, context): the SQL boolean of an event condition ("did / did not
    do EVENT at least / at most / exactly N times in the last D days, where PROPERTY op VALUE ..."),
    checked against seeds segment_event_types and segment_event_properties. The count is a column of the
    traits relation, one per distinct (event, window, filter) across all segments and entities
    (context.event_counts: alias, entities using it, the relation computing it per person, by_item when
    a filter is on an item property; an account sums the counts of its people); days count as
    elsewhere in the project: date > as_of_date − D and <= as_of_date. Without in_last_days the count
    is lifetime (up to the as-of date). -#}
{% macro segment_event_sql(rule, field, context) -%}
    {%- set segment = context.stack[-1] -%}
    {%- set name = rule['event'] -%}
    {%- if name not in context.vocabulary.events -%}
        {%- do segment_error(segment, field ~ '.event', 'unknown event ' ~ segment_show(name)
            ~ '; events are the event_name column of seed segment_event_types') -%}
    {%- endif -%}
    {%- set event = context.vocabulary.events[name] -%}
    {%- set bounds = [] -%}
    {%- for bound in ['at_least', 'at_most', 'exactly'] if bound in rule -%}
        {%- do bounds.append(bound) -%}
    {%- endfor -%}
    {%- if bounds | length > 1 -%}
        {%- do segment_error(segment, field ~ '.' ~ bounds[1], 'an event condition takes one of at_least, at_most,'
            ~ ' exactly') -%}
    {%- endif -%}
    {%- set bound = bounds[0] if bounds else 'at_least' -%}
    {%- set times = rule.get(bound, 1) -%}
    {%- set days = rule.get('in_last_days') -%}
    {%- set did = rule.get('did', true) -%}
    {%- for check_field, value, ok in [
            (bound, times, times is number and times is not boolean and times == times | int and times >= 0),
            ('in_last_days', days, days is none or (days is number and days is not boolean and days == days | int
                and days >= 1)),
            ('did', did, did is boolean)] if not ok -%}
        {%- do segment_error(segment, field ~ '.' ~ check_field, ('true or false' if check_field == 'did'
            else 'a whole number' ~ (' of at least 1' if check_field == 'in_last_days' else ', 0 or more'))
            ~ ' is needed, not ' ~ segment_show(value)) -%}
    {%- endfor -%}
    {%- set filters = rule.get('where', []) -%}
    {%- if filters is string or filters is not sequence -%}
        {%- do segment_error(segment, field ~ '.where', 'where takes a list of {property, op, value} conditions') -%}
    {%- endif -%}
    {%- set properties = context.vocabulary.properties.get(event.source_model, {}) -%}
    {%- set filter_sqls = [] -%}
    {%- set filter_texts = [] -%}
    {%- for filter in filters -%}
        {%- set filter_field = field ~ '.where[' ~ loop.index0 ~ ']' -%}
        {%- if filter is not mapping or 'property' not in filter -%}
            {%- do segment_error(segment, filter_field, 'a filter is a mapping {property, op, value}') -%}
        {%- endif -%}
        {%- for name_in_filter in filter if name_in_filter not in ['property', 'op', 'value'] -%}
            {%- do segment_error(segment, filter_field ~ '.' ~ name_in_filter, 'unknown field; a filter takes property,'
                ~ ' op, value') -%}
        {%- endfor -%}
        {%- if filter['property'] not in properties -%}
            {%- do segment_error(segment, filter_field ~ '.property', 'unknown property ' ~ segment_show(filter['property'])
                ~ " of event '" ~ name ~ "'; it has " ~ properties.keys() | sort | join(', ')
                ~ ' (seed segment_event_properties)') -%}
        {%- endif -%}
        {%- set property = properties[filter['property']] -%}
        {%- do filter_sqls.append(segment_compare_sql('source_rows.' ~ property.column, property.data_type, false,
            filter, "property '" ~ filter['property'] ~ "'", segment, filter_field)) -%}
        {%- do filter_texts.append(filter['property'] ~ ' ' ~ filter['op'] ~ ' '
            ~ (segment_show(filter['value']) if 'value' in filter else '')) -%}
    {%- endfor -%}
    {%- set entity = context.definitions[segment].entity -%}
    {%- set signature = [name, days, filter_sqls] | tojson -%}
    {%- for known in context.event_counts if known.signature == signature -%}
        {%- do context.update({'alias': known.alias}) -%}
        {%- if entity not in known.entities -%}
            {%- do known.entities.append(entity) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if context.get('alias') is none -%}
        {%- set item_filters = [] -%}
        {%- for filter in filters if properties[filter['property']].is_item -%}
            {%- do item_filters.append(filter) -%}
        {%- endfor -%}
        {%- set alias = 'event_count_' ~ (context.event_counts | length + 1) -%}
        {#- relation: the CTE of segment_event_ctes that counts it, named here once -#}
        {%- do context.event_counts.append({'signature': signature, 'alias': alias, 'entities': [entity],
            'event': event, 'days': days, 'filter_sqls': filter_sqls, 'by_item': item_filters | length > 0,
            'relation': 'events_for_' ~ alias if item_filters else 'events_from_' ~ event.source_model}) -%}
        {%- do context.update({'alias': alias}) -%}
    {%- endif -%}
    {%- set alias = context.pop('alias') -%}
    {%- set label = name ~ (' (' ~ filter_texts | join(' and ') | trim ~ ')' if filter_texts else '')
        ~ (' in the last ' ~ days ~ ' days' if days else ' ever') -%}
    {%- do segment_reason_label(context, segment, label, 'cast(traits.' ~ alias ~ ' as ' ~ dbt.type_string() ~ ')') -%}
    {%- set test = 'traits.' ~ alias ~ ' ' ~ {'at_least': '>=', 'at_most': '<=', 'exactly': '='}[bound] ~ ' '
        ~ times -%}
    {{ return('(' ~ test ~ ')' if did else '(not (' ~ test ~ '))') }}
{%- endmacro %}
