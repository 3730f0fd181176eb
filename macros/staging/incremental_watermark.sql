{#- incremental_watermark(): for an incremental staging model, the load time after which a raw row
    counts as new: the latest _loaded_at already in the model's table ({{ this }}), less var
    incremental_lookback_days, so rows that land late with an older load stamp are still picked up.
    An empty table gives 1900-01-01 (every row is new). validate_vars() checks the var. Only meaningful inside is_incremental(). -#}
{% macro incremental_watermark() -%}
    {%- set lookback_days = checked_var('incremental_lookback_days') -%}
    {%- set latest_loaded_at = "coalesce((select max(_loaded_at) from " ~ this ~ "), cast('1900-01-01' as " ~ dbt.type_timestamp() ~ "))" -%}
    {{ dbt.dateadd('day', -1 * (lookback_days | int), latest_loaded_at) }}
{%- endmacro %}
