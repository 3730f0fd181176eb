{#- incremental_watermark(): for an incremental staging model, the load time after which a raw row
    counts as new: the latest _loaded_at already in the model's table ({{ this }}), less var
    incremental_lookback_days, so rows that land late with an older load stamp are still picked up.
    An empty table gives 1900-01-01 (every row is new). Only meaningful inside is_incremental(). -#}
{% macro incremental_watermark() -%}
    {%- set lookback_days = var('incremental_lookback_days') -%}
    {%- if lookback_days is not number or lookback_days < 0 or lookback_days != lookback_days | int -%}
        {{ exceptions.raise_compiler_error("var incremental_lookback_days must be a whole number of days >= 0 (got '" ~ lookback_days ~ "').") }}
    {%- endif -%}
    {%- set latest_loaded_at = "coalesce((select max(_loaded_at) from " ~ this ~ "), cast('1900-01-01' as " ~ dbt.type_timestamp() ~ "))" -%}
    {{ dbt.dateadd('day', -1 * (lookback_days | int), latest_loaded_at) }}
{%- endmacro %}
