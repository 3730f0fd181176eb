{#- row_fingerprint(relation_alias): a hash of the whole row of a FROM-clause alias, cheap enough to
    compute for every raw row. Staging uses it as the last dedupe tie-breaker (rows that tie on the
    documented rule and differ in content are ordered by it, never by physical row order) and to find
    a rejected row's raw payload again (quarantine_rows). Identical rows share a fingerprint, which
    is harmless for both uses. The value is engine-specific: compare fingerprints within one engine.
      DuckDB: hash(alias), a 64-bit hash of the row struct
      PostgreSQL: md5 of the row as JSON text
      Spark/Databricks: xxhash64 of the row struct -#}
{% macro row_fingerprint(relation_alias) -%}
    {{ return(adapter.dispatch('row_fingerprint', 'customer_segmentation')(relation_alias)) }}
{%- endmacro %}

{% macro default__row_fingerprint(relation_alias) -%}
    md5({{ to_json_text(relation_alias) }})
{%- endmacro %}

{% macro duckdb__row_fingerprint(relation_alias) -%}
    hash({{ relation_alias }})
{%- endmacro %}

{% macro spark__row_fingerprint(relation_alias) -%}
    xxhash64(struct({{ relation_alias }}.*))
{%- endmacro %}
