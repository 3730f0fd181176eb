{#- segment_vocabulary(): what segment rules may name, read from the seeds when a model compiles:
    features (seed feature_catalog: entity, model, column, type, whether it is a set), events (seed
    segment_event_types: source model, id, date and match columns) and event properties (seed
    segment_event_properties, per source model). While dbt parses the project it is empty. -#}
{% macro segment_vocabulary() -%}
    {%- set vocabulary = {'features': {}, 'events': {}, 'properties': {}} -%}
    {%- if not execute -%}
        {{ return(vocabulary) }}
    {%- endif -%}
    {%- set features = run_query(
        'select feature_name, entity, model, column_name, data_type, unit from ' ~ ref('feature_catalog')) -%}
    {%- for row in features.rows -%}
        {%- do vocabulary.features.update({row['feature_name']: {
            'entity': row['entity'], 'model': row['model'], 'column': row['column_name'],
            'data_type': row['data_type'], 'unit': row['unit'] or '',
            'is_set': (row['unit'] or '').startswith('set of')}}) -%}
    {%- endfor -%}
    {%- set events = run_query(
        'select event_name, source_model, id_column, date_column, match_column, match_value, match_type,'
        ~ ' event_row_column from '
        ~ ref('segment_event_types')) -%}
    {%- for row in events.rows -%}
        {%- do vocabulary.events.update({row['event_name']: {
            'source_model': row['source_model'], 'id_column': row['id_column'], 'date_column': row['date_column'],
            'match_column': row['match_column'], 'match_value': row['match_value'],
            'match_type': row['match_type'], 'event_row_column': row['event_row_column']}}) -%}
    {%- endfor -%}
    {%- set properties = run_query(
        'select source_model, property, column_name, data_type, grain from ' ~ ref('segment_event_properties')) -%}
    {%- for row in properties.rows -%}
        {%- if row['source_model'] not in vocabulary.properties -%}
            {%- do vocabulary.properties.update({row['source_model']: {}}) -%}
        {%- endif -%}
        {%- do vocabulary.properties[row['source_model']].update({row['property']: {
            'column': row['column_name'], 'data_type': row['data_type'], 'is_set': false,
            'is_item': row['grain'] == 'item'}}) -%}
    {%- endfor -%}
    {{ return(vocabulary) }}
{%- endmacro %}
