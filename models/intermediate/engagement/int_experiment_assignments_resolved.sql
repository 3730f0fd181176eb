-- One row per experiment assignment (stg_marketing__experiment_assignments) with its person: the
-- logged-in user id first, then the device cookie (as for sessions).
with

experiment_assignments as (
    select
        assignment_id,
        experiment_id,
        variant,
        user_pseudo_id,
        user_id,
        assigned_at
    from {{ ref('stg_marketing__experiment_assignments') }}
),

final as (
    {{ resolve_customer_key('experiment_assignments', [
        ('web_user_id', 'experiment_assignments.user_id'),
        ('cookie', 'experiment_assignments.user_pseudo_id'),
    ]) }}
)

select * from final
