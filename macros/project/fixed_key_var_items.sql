{#- The entries of a var whose keys are fixed by its rule (kinds `windows` and `code_map` in
    var_rules) as (key, value) pairs in the rule's key order: the keys name columns
    ("n_orders_in_short_window", "has_tech_crm"), the values (days, code lists) are the settings,
    so changing a value renames no column. -#}
{%- macro fixed_key_var_items(var_name) -%}
    {%- set values = checked_var(var_name) -%}
    {%- set pairs = [] -%}
    {%- for key in var_rules()[var_name]['keys'] -%}
        {%- do pairs.append((key, values[key])) -%}
    {%- endfor -%}
    {{ return(pairs) }}
{%- endmacro -%}
