{#- Returns a phone number in E.164 (+<calling code><national number>) or null when it cannot be one.
    Takes the number's digits (macro phone_digits, computed once in an earlier CTE: engines that
    inline CTEs would otherwise repeat the regex for every branch below), whether the raw text began
    with "+", and the calling code and trunk prefix of the region to read national numbers in (from
    the country_codes seed).
    The number's own prefix wins: "+" or "00" means it is already international. Otherwise it is a
    national number: the trunk prefix (0 in most of Europe, 1 in the NANP) is dropped and the calling
    code prepended. Valid results have 8 to 15 digits, are not placeholders (at most 3 digits other
    than zero, e.g. +1 000 000 0000), and NANP (+1) numbers have exactly 10 national digits.
    Example: "(650) 555-1212" -> digits 6505551212, calling code 1, trunk prefix 1 -> "+16505551212". -#}
{% macro normalize_phone(digits, has_plus_prefix, calling_code, trunk_prefix) -%}
    {%- set e164 -%}
        (case
            when {{ digits }} is null or {{ digits }} = '' then null
            when {{ has_plus_prefix }} then '+' || {{ digits }}
            when {{ digits }} like '00%' then '+' || substr({{ digits }}, 3)
            when {{ calling_code }} is null then null
            when coalesce({{ trunk_prefix }}, '') <> '' and {{ digits }} like {{ trunk_prefix }} || '%'
                then '+' || {{ calling_code }} || substr({{ digits }}, length({{ trunk_prefix }}) + 1)
            else '+' || {{ calling_code }} || {{ digits }}
        end)
    {%- endset -%}
    case
        when length({{ e164 }}) not between 9 and 16 then null
        when length(replace(substr({{ e164 }}, 2), '0', '')) <= 3 then null
        when {{ e164 }} like '+1%' and length({{ e164 }}) <> 12 then null
        else {{ e164 }}
    end
{%- endmacro %}
