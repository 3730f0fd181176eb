{#- Customers and their segments at the as-of date on the two membership bases of the analytics
    marts (decision 61): 'member', every segment a customer belongs to (segment_membership), and
    'primary', its primary segment (customer_segments). A select of membership_basis,
    customer_key, segment_key. -#}
{% macro segment_members_by_basis() -%}
    select
        'member' as membership_basis,
        entity_key as customer_key,
        segment_key
    from {{ ref('segment_membership') }}
    where entity_type = 'customer'
    union all
    select
        'primary' as membership_basis,
        customer_key,
        primary_segment_key as segment_key
    from {{ ref('customer_segments') }}
{%- endmacro %}
