{#- Fails for every row where `expression` is false or null (null is a failure: say `x is null or ...`
    to allow nulls). -#}
{% test expression_is_true(model, expression, column_name=none) %}

select *
from {{ model }}
where not coalesce({{ expression }}, false)

{% endtest %}
