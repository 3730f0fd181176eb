{#- Fails (one row with both counts) when the model and compare_model differ in row count: a model
    that adds a column to every row of its input (a resolution, an enrichment) keeps every row once. -#}
{% test same_row_count_as(model, compare_model) %}
    select
        model_rows.n_rows as model_rows,
        compare_rows.n_rows as compare_model_rows
    from (select count(*) as n_rows from {{ model }}) as model_rows
    cross join (select count(*) as n_rows from {{ compare_model }}) as compare_rows
    where model_rows.n_rows <> compare_rows.n_rows
{% endtest %}
