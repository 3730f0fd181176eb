{#- The groups of a code-map var (kind `code_map` in var_rules) as (name, codes) pairs in the rule's
    key order. A feature column is named after the group ("has_tech_crm"), never after the codes in
    it, so mapping other codes to a group renames nothing. -#}
{%- macro feature_code_groups(var_name) -%}
    {%- set groups = checked_var(var_name) -%}
    {%- set pairs = [] -%}
    {%- for name in var_rules()[var_name]['keys'] -%}
        {%- do pairs.append((name, groups[name])) -%}
    {%- endfor -%}
    {{ return(pairs) }}
{%- endmacro -%}
