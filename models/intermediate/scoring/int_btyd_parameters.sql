-- One row: the BG/NBD (r, alpha in days, a, b) and Gamma-Gamma (p, q, gamma in base currency) parameters
-- every CLV score uses. From the Python fit where it runs and the data has enough repeat buyers to
-- fit (fit_status 'fitted'), else from var clv_fallback_parameters (parameter_source says which).
-- The condition must stay the same as the `enabled` config of int_btyd_parameters_fitted
-- (_int_scoring__btyd.yml): the ref is only rendered when that model exists.
{%- set use_fit = target.type == 'duckdb' and checked_var('clv_fit_with_python') %}
{%- set fallback = checked_var('clv_fallback_parameters') %}
{%- set names = ['r', 'alpha', 'a', 'b', 'p', 'q', 'gamma'] %}
{%- set double = type_double() %}

with

parameters as (
    {%- if use_fit %}
        select
            {%- for name in names %}
                case
                    when fit_status = 'fitted' then cast({{ name }} as {{ double }})
                    else cast({{ fallback[name] }} as {{ double }})
                end as {{ name }},
            {%- endfor %}
            case when fit_status = 'fitted' then 'fit' else 'fallback' end as parameter_source
        from {{ ref('int_btyd_parameters_fitted') }}
    {%- else %}
        select
            {%- for name in names %}
                cast({{ fallback[name] }} as {{ double }}) as {{ name }},
            {%- endfor %}
            'fallback' as parameter_source
    {%- endif %}
),

final as (
    select
        r,
        alpha,
        a,
        b,
        p,
        q,
        gamma,
        cast(parameter_source as {{ dbt.type_string() }}) as parameter_source
    from parameters
)

select * from final
