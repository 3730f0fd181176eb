select from_as_of_date, to_as_of_date, entity_type, from_segment_key, to_segment_key, n_entities
from segment_transitions
