-- One row per (r_score, f_score) cell of the RFM grid (1 .. var rfm_score_levels each), every cell
-- present even when empty, plus (0, 0) for customers without orders: customers, share of the scored
-- customers, mean recency, frequency and monetary value, and the RFM segment the cell maps to (seed
-- rfm_segments). BI draws the classic grid from it.

with

cells as (
    {{ rfm_grid_cells() }}
),

-- customers without orders have no scores: they are the (0, 0) cell, as in seed rfm_segments
rfm as (
    select
        coalesce(r_score, 0) as r_score,
        coalesce(f_score, 0) as f_score,
        recency_days,
        frequency,
        monetary_amount
    from {{ ref('customer_rfm') }}
),

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

per_cell as (
    select
        r_score,
        f_score,
        count(*) as n_customers,
        avg(cast(recency_days as {{ type_double() }})) as mean_recency_days,
        avg(cast(frequency as {{ type_double() }})) as mean_frequency,
        avg(cast(monetary_amount as {{ type_double() }})) as mean_monetary_amount
    from rfm
    group by r_score, f_score
),

population as (
    select count(*) as n_scored
    from rfm
),

segment_names as (
    select
        r_score,
        f_score,
        segment_code,
        segment_name
    from {{ ref('rfm_segments') }}
),

final as (
    select
        as_of.as_of_date,
        cells.r_score,
        cells.f_score,
        -- the seed's varchar(n) is its own type on Spark: cast to the contract's varchar (Spark: string)
        {{ dbt.cast('segment_names.segment_code', 'varchar') }} as rfm_segment_code,
        {{ dbt.cast('segment_names.segment_name', 'varchar') }} as rfm_segment,
        cast(coalesce(per_cell.n_customers, 0) as {{ dbt.type_bigint() }}) as n_customers,
        {{ round_double('cast(coalesce(per_cell.n_customers, 0) as ' ~ type_double() ~ ') / population.n_scored', 6) }}
            as customer_share,
        {{ round_double('per_cell.mean_recency_days', 6) }} as mean_recency_days,
        {{ round_double('per_cell.mean_frequency', 6) }} as mean_frequency,
        {{ round_double('per_cell.mean_monetary_amount', 6) }} as mean_monetary_amount
    from cells
    cross join as_of
    cross join population
    left join per_cell
        on
            cells.r_score = per_cell.r_score
            and cells.f_score = per_cell.f_score
    left join segment_names
        on
            cells.r_score = segment_names.r_score
            and cells.f_score = segment_names.f_score
)

select * from final
