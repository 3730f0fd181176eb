select
    period_type, period_start, period_end, snapshot_date, is_partial_period, membership_basis,
    segment_key, segment_family, n_members, member_share, n_sessions, session_conversion_rate,
    n_orders, net_revenue_amount, aov_amount, revenue_per_member_amount, predicted_clv_amount,
    churn_rate, retention_rate
from segment_kpis
