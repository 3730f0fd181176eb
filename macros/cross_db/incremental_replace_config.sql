{#- incremental_replace_config(partition_column, unique_key): the incremental settings of a model
    whose runs replace whole slices (days, as-of dates), as config() keyword arguments:
    `config(materialized='incremental', **incremental_replace_config('_partition_date', '_row_fingerprint'))`.
    DuckDB and PostgreSQL: delete+insert on unique_key. Spark without Delta or Iceberg (offline):
    insert_overwrite of the partitions the run writes, partitioned by partition_column (the cluster
    runs with spark.sql.sources.partitionOverwriteMode=dynamic). -#}
{% macro incremental_replace_config(partition_column, unique_key) -%}
    {{ return(adapter.dispatch('incremental_replace_config', 'customer_segmentation')(partition_column, unique_key)) }}
{%- endmacro %}

{% macro default__incremental_replace_config(partition_column, unique_key) -%}
    {{ return({'incremental_strategy': 'delete+insert', 'unique_key': unique_key}) }}
{%- endmacro %}

{% macro spark__incremental_replace_config(partition_column, unique_key) -%}
    {{ return({'incremental_strategy': 'insert_overwrite', 'partition_by': [partition_column]}) }}
{%- endmacro %}

{#- write_partitions_whole(partition_column): put after a partitioned model's final select. On Spark
    it routes all rows of a partition to one task (`distribute by`), so each partition is one file
    rather than one per task: scans of day-partitioned tables then open hundreds of files instead
    of thousands. Nothing elsewhere. -#}
{% macro write_partitions_whole(partition_column) -%}
    {{ return(adapter.dispatch('write_partitions_whole', 'customer_segmentation')(partition_column)) }}
{%- endmacro %}

{% macro default__write_partitions_whole(partition_column) -%}
{%- endmacro %}

{% macro spark__write_partitions_whole(partition_column) -%}
    distribute by {{ partition_column }}
{%- endmacro %}
