-- The seed rfm_segments must name every (r_score, f_score) cell of the 1..rfm_score_levels grid
-- plus (0, 0) for prospects, nothing outside it, and one segment_name per segment_code.
with

grid as (
    {{ rfm_grid_cells() }}
),

seed as (
    select
        r_score,
        f_score,
        segment_code
    from {{ ref('rfm_segments') }}
),

missing as (
    select
        'missing cell' as problem,
        grid.r_score,
        grid.f_score
    from grid
    left join seed
        on grid.r_score = seed.r_score and grid.f_score = seed.f_score
    where seed.r_score is null
),

outside as (
    select
        'cell outside the grid' as problem,
        seed.r_score,
        seed.f_score
    from seed
    left join grid
        on seed.r_score = grid.r_score and seed.f_score = grid.f_score
    where grid.r_score is null
),

ambiguous_names as (
    select
        'segment_code with several names' as problem,
        cast(null as {{ dbt.type_int() }}) as r_score,
        cast(null as {{ dbt.type_int() }}) as f_score
    from {{ ref('rfm_segments') }}
    group by segment_code
    having count(distinct segment_name) > 1
)

select * from missing
union all
select * from outside
union all
select * from ambiguous_names
