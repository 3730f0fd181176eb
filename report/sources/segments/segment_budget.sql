select segment_key, n_members, response_rate, response_source, budget_share, is_at_cap, is_at_floor
from segment_budget_recommendation
