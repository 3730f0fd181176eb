{#- The CRM contact attributes the golden record takes from a person's contacts, each by its own
    survivorship ranking: int_customer_crm_attributes ranks them, int_customer_golden_record reads them. -#}
{%- macro crm_golden_attributes() -%}
    {{ return([
        'first_name', 'last_name', 'birth_date', 'gender', 'city', 'region', 'postcode', 'country_code',
        'income_band', 'job_title', 'account_id', 'phone_e164',
    ]) }}
{%- endmacro -%}
