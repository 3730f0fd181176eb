select membership_basis, segment_key, step_number, step_event_name, n_members, n_reached,
    step_conversion_rate, conversion_from_first_step_rate
from segment_funnel
