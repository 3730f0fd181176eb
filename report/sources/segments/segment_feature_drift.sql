select quarter_start, segment_key, feature_name, population_stability_index, psi_p_value,
    moves_with_time, is_psi_drift
from segment_feature_drift
