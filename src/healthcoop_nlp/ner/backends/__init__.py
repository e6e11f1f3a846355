"""Optional NER backends (models the user already has locally)."""
