{#- Returns a phone number in E.164 (+<calling code><national number>) or null when it cannot be one.
    The number's own prefix wins: "+" or "00" means it is already international. Otherwise it is
    read as a national number of the region whose calling code and trunk prefix are passed in
    (from the country_codes seed): the trunk prefix (0 in most of Europe, 1 in the NANP) is dropped
    and the calling code prepended. Valid results have 8 to 15 digits, are not all zeros, and NANP
    (+1) numbers have exactly 10 national digits.
    Example: "(650) 555-1212" with calling code 1, trunk prefix 1 -> "+16505551212". -#}
{% macro normalize_phone(phone, calling_code, trunk_prefix) -%}
    {%- set digits = regexp_replace_all(phone, "'[^0-9]'", "''") -%}
    {%- set e164 -%}
        case
            when {{ digits }} = '' then null
            when trim({{ phone }}) like '+%' then '+' || {{ digits }}
            when {{ digits }} like '00%' then '+' || substr({{ digits }}, 3)
            when {{ calling_code }} is null then null
            when coalesce({{ trunk_prefix }}, '') <> '' and {{ digits }} like {{ trunk_prefix }} || '%'
                then '+' || {{ calling_code }} || substr({{ digits }}, length({{ trunk_prefix }}) + 1)
            else '+' || {{ calling_code }} || {{ digits }}
        end
    {%- endset -%}
    case
        when length({{ e164 }}) not between 9 and 16 then null
        when {{ regexp_like(e164, "'^\\+0*$'") }} then null
        when {{ e164 }} like '+1%' and length({{ e164 }}) <> 12 then null
        else {{ e164 }}
    end
{%- endmacro %}
