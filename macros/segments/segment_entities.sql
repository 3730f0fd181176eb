{#- segment_entities(): what segments can group, and how each is found: the population (a select
    of entity_key), the key column of the entity's feature marts, and how an event of a person
    (source rows with customer_key) becomes the entity's: a customer is the person, an account
    gathers the events of all its people (dim_customers.account_id). Test accounts are never in a
    population. -#}
{% macro segment_entities() -%}
    {{ return({
        'customer': {
            'population': 'select customer_key as entity_key from ' ~ ref('dim_customers')
                ~ ' where not is_test_account',
            'feature_key': 'customer_key',
            'event_people': none},
        'account': {
            'population': 'select account_id as entity_key from ' ~ ref('account_features'),
            'feature_key': 'account_id',
            'event_people': 'select customer_key, account_id as entity_key from ' ~ ref('dim_customers')
                ~ ' where account_id is not null and not is_test_account'}
    }) }}
{%- endmacro %}
