{#- blocklist_reason(type_column, value_column): a SQL expression giving the first reason (by reason,
    then pattern) of seed identity_blocklist whose identifier_type (or *) and pattern match, else null.

    The patterns are read from the seed when the model runs and written into the SQL as constants:
    with the pattern in a column, DuckDB would compile the regular expression once per row (two
    minutes at 1M customers instead of seconds). -#}
{% macro blocklist_reason(type_column, value_column) -%}
    {%- if not execute -%}
        {{ return('cast(null as ' ~ dbt.type_string() ~ ')') }}
    {%- endif -%}
    {%- set seed = ref('identity_blocklist') -%}
    {%- if load_relation(seed) is none -%}
        {{ exceptions.raise_compiler_error("Seed identity_blocklist is not loaded in " ~ seed ~ ": run `dbt seed` (or `dbt build`) first.") }}
    {%- endif -%}
    {%- set rows = run_query('select identifier_type, pattern, reason from ' ~ seed ~ ' order by reason, pattern, identifier_type').rows -%}
    case
    {%- for row in rows %}
        when
            {%- if row[0] != '*' %} {{ type_column }} = {{ string_literal(row[0]) }} and{% endif %}
            {{ regexp_like(value_column, string_literal(row[1])) }}
            then {{ string_literal(row[2]) }}
    {%- endfor %}
    end
{%- endmacro %}
