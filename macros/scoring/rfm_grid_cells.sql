{#- rfm_grid_cells(): a select of every (r_score, f_score) cell of the RFM grid, 1 .. var
    rfm_score_levels each, plus (0, 0), the cell of customers without orders (seed rfm_segments). -#}
{% macro rfm_grid_cells() -%}
    {%- set levels = checked_var('rfm_score_levels') -%}
    {%- for r in range(1, levels + 1) %}
        {%- for f in range(1, levels + 1) %}
    select {{ r }} as r_score, {{ f }} as f_score union all
        {%- endfor %}
    {%- endfor %}
    select 0 as r_score, 0 as f_score
{%- endmacro %}
