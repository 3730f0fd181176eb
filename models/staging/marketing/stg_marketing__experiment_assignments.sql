with

experiment_assignments as (
    select
        assignment_id,
        experiment_id,
        variant,
        user_pseudo_id,
        user_id,
        assigned_at,
        _loaded_at
    from {{ ref('base_marketing__experiment_assignments') }}
    where _quarantine_reason is null and _dedupe_rank = 1
)

select * from experiment_assignments
