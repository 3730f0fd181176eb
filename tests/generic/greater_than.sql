{#- Fails for every row whose column is not strictly greater than `value` (null counts as a failure). -#}
{% test greater_than(model, column_name, value) %}

select {{ column_name }}
from {{ model }}
where not coalesce({{ column_name }} > {{ value }}, false)

{% endtest %}
