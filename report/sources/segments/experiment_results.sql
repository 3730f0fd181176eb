select experiment_id, segment_key, variant, is_control, n_exposed, n_converted, conversion_rate,
    relative_lift, relative_lift_ci_low, relative_lift_ci_high, p_value_adjusted, is_significant,
    is_sample_ratio_mismatch
from experiment_results_by_segment
