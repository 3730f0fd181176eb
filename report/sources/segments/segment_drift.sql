select quarter_start, snapshot_date, membership_basis, segment_key, n_members, previous_n_members,
    size_change_vs_population, share_change, exit_rate_change, aov_change_vs_population,
    max_feature_psi, is_drifting
from segment_drift
