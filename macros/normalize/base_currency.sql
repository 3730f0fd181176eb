{#- base_currency(): var base_currency, checked: an ISO 4217 code of three upper-case letters.
    Anything else stops the run with a message naming the var (it is pasted into SQL literals). -#}
{% macro base_currency() -%}
    {%- set code = var('base_currency') -%}
    {%- if code is not string or not modules.re.fullmatch('[A-Z]{3}', code) -%}
        {{ exceptions.raise_compiler_error(
            "var base_currency must be an ISO 4217 code of three upper-case letters, such as USD, EUR or BRL (got '"
            ~ code ~ "'). Set it in dbt_project.yml or with --vars '{base_currency: EUR}'."
        ) }}
    {%- endif -%}
    {{ return(code) }}
{%- endmacro %}
