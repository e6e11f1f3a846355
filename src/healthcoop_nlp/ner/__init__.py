"""Named-entity recognition per language (PER, ORG, LOC, DATE) with raw-text offsets."""
