{#- raw_source_found_columns(node): the columns a raw table really has (name, data type), read from the
    warehouse catalog: on DuckDB from the view raw_<system>.<table> that register_raw_sources() puts
    over the Parquet files, elsewhere from the raw table itself. Empty when it does not exist. The
    catalog is asked directly: dbt's relation cache does not see what the on-run-start hooks create. -#}
{% macro raw_source_found_columns(node) -%}
    {%- set relation = api.Relation.create(database=node.database, schema=node.schema, identifier=node.identifier) -%}
    {{ return(adapter.get_columns_in_relation(relation)) }}
{%- endmacro %}
