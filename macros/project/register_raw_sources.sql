{#- on-run-start hook. On DuckDB, models read the raw Parquet through each source's
    external_location; this also exposes every such source as a view raw_<system>.<table>, so
    analysts can query the raw data in the warehouse and dbt unit tests can read the source's columns.
    Files that are not there are reported and skipped (models reading them then fail with DuckDB's
    "No files found" error). Other engines read real tables: nothing to do. -#}
{% macro register_raw_sources() -%}
    {{ return(adapter.dispatch('register_raw_sources', 'customer_segmentation')()) }}
{%- endmacro %}

{% macro default__register_raw_sources() -%}
{%- endmacro %}

{% macro duckdb__register_raw_sources() -%}
    {%- if execute -%}
        {%- set statements = [] -%}
        {%- set missing = [] -%}
        {%- for node in graph.sources.values() | sort(attribute='unique_id') -%}
            {%- set has_location = node.meta.get('external_location') or node.source_meta.get('external_location') -%}
            {%- if has_location and node.package_name == project_name -%}
                {#- source() renders the external location with vars and env vars resolved -#}
                {%- set location = source(node.source_name, node.name) | string -%}
                {%- set pattern = location.split("'")[1] -%}
                {%- set n_files = run_query("select count(*) from glob('" ~ pattern ~ "')").columns[0].values()[0] -%}
                {%- if n_files == 0 -%}
                    {%- do missing.append(pattern) -%}
                {%- else -%}
                    {%- do statements.append("create schema if not exists " ~ node.schema) -%}
                    {%- do statements.append(
                        "create or replace view " ~ node.schema ~ "." ~ node.identifier ~ " as select * from " ~ location
                    ) -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if missing -%}
            {{ log("No raw files for " ~ missing | length ~ " source table(s), e.g. " ~ missing[0]
                ~ ". Run `make data`, or point RAW_DATA_ROOT (var raw_data_root) at your own files.", info=true) }}
        {%- endif -%}
        {{ return(statements | join(";\n")) }}
    {%- endif -%}
{%- endmacro %}
