{#- The windows of a window-map var (kind `windows` in var_rules) as (name, days) pairs in the
    rule's key order. Column names use the name ("n_orders_in_short_window"), never the days, so a
    changed window length renames nothing. -#}
{%- macro feature_windows(var_name) -%}
    {%- set windows = checked_var(var_name) -%}
    {%- set pairs = [] -%}
    {%- for name in var_rules()[var_name]['keys'] -%}
        {%- do pairs.append((name, windows[name])) -%}
    {%- endfor -%}
    {{ return(pairs) }}
{%- endmacro -%}
