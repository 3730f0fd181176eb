{#- Fails for every row whose column lies outside [min_value, max_value] (both inclusive). Nulls pass
    (pair with not_null where needed). -#}
{% test accepted_range(model, column_name, min_value, max_value) %}

select {{ column_name }}
from {{ model }}
where {{ column_name }} < {{ min_value }} or {{ column_name }} > {{ max_value }}

{% endtest %}
