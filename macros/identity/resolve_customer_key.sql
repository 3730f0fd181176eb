{#-
    The one way a fact's identifiers become its person: a select of every column of `relation`
    (a CTE name) plus customer_key, taken from the first identifier in `identifiers` that resolves
    in the crosswalk int_identity_identifiers. `identifiers` is an ordered list of
    (identifier_type, SQL expression giving that identifier's value on the row) pairs, most
    specific first; a row none of them resolves gets a null customer_key (an anonymous device, an
    unknown email).
-#}
{%- macro resolve_customer_key(relation, identifiers) -%}
    select
        {{ relation }}.*,
        {%- if identifiers | length == 1 %}
        by_{{ identifiers[0][0] }}.customer_key as customer_key
        {%- else %}
        coalesce(
            {%- for identifier_type, _ in identifiers %}
            by_{{ identifier_type }}.customer_key{{ ',' if not loop.last }}
            {%- endfor %}
        ) as customer_key
        {%- endif %}
    from {{ relation }}
    {%- for identifier_type, value_expression in identifiers %}
    left join {{ ref('int_identity_identifiers') }} as by_{{ identifier_type }}
        on
            by_{{ identifier_type }}.identifier_type = '{{ identifier_type }}'
            and {{ value_expression }} = by_{{ identifier_type }}.identifier_value
    {%- endfor %}
{%- endmacro -%}
