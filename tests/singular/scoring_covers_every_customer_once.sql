-- Every customer of dim_customers has exactly one row (so one RFM segment, one lifecycle stage, one
-- value tier) in each scoring mart; the unique and relationships tests cover duplicates and strays.
{%- set marts = ['customer_rfm', 'customer_lifecycle', 'customer_value'] %}
{%- for mart in marts %}
    select
        '{{ mart }}' as mart,
        dim_customers.customer_key
    from {{ ref('dim_customers') }} as dim_customers
    left join {{ ref(mart) }} as scored
        on dim_customers.customer_key = scored.customer_key
    where scored.customer_key is null
    {%- if not loop.last %}
        union all
    {%- endif %}
{%- endfor %}
