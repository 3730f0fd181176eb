select membership_basis, segment_key, journey_segment_key, n_members_in_stage, stage_share
from segment_journey_mix
