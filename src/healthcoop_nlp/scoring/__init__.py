"""Scoring: records against gold records (the guide's section 4) and token/tag NER corpora."""

from .conll import entity_prf, read_tagged, tags_to_spans, to_iob2

__all__ = ["entity_prf", "read_tagged", "tags_to_spans", "to_iob2"]
