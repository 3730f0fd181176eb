{#- Returns an email trimmed, lowercased and stripped of inner whitespace, or null when the result
    is not shaped like local@domain.tld. Blocking placeholder or test emails is identity
    resolution's job, not staging's. Patterns go through string_literal(): a Spark literal reads
    '\s' as 's'. -#}
{% macro normalize_email(column) -%}
    case
        when {{ regexp_like(
            regexp_replace_all("lower(" ~ column ~ ")", string_literal("\\s"), "''"),
            string_literal("^[^@]+@[^@]+\\.[^@]+$")
        ) }}
            then {{ regexp_replace_all("lower(" ~ column ~ ")", string_literal("\\s"), "''") }}
    end
{%- endmacro %}
