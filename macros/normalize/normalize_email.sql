{#- Returns an email trimmed, lowercased and stripped of inner whitespace, or null when the result
    is not shaped like local@domain.tld. Blocking placeholder or test emails is identity
    resolution's job, not staging's. -#}
{% macro normalize_email(column) -%}
    case
        when {{ regexp_like(
            regexp_replace_all("lower(" ~ column ~ ")", "'\\s'", "''"),
            "'^[^@]+@[^@]+\\.[^@]+$'"
        ) }}
            then {{ regexp_replace_all("lower(" ~ column ~ ")", "'\\s'", "''") }}
    end
{%- endmacro %}
