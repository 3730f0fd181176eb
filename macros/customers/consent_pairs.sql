{#- The (channel, purpose) pairs the consent columns has_<channel>_<purpose>_consent are built for,
    in column order: int_customer_consents and dim_customers both read this list. -#}
{%- macro consent_pairs() -%}
    {{ return([
        ('email', 'marketing'), ('email', 'personalization'), ('sms', 'marketing'), ('phone', 'marketing'),
        ('push', 'marketing'), ('ads', 'analytics'), ('ads', 'personalization'),
    ]) }}
{%- endmacro -%}
