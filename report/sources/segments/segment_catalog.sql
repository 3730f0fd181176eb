select
    segment_key, segment_name, family, entity_type, is_primary, priority, description,
    persona_name, persona_summary, persona_pain_points, preferred_channel, message_theme,
    n_offers, n_members, member_share
from segment_catalog
