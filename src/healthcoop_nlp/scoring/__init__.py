"""Scoring: predicted records against gold records (the guide's section 4), and token/tag NER corpora.

``evaluate(gold, pred)`` gives the full report; ``score_ner``, ``score_events``,
``score_clusters`` and ``score_titles`` give one part each. ``read_tagged``
and ``entity_prf`` read and score the public token/tag corpora (conlleval).
"""

from .align import AlignmentError, align_documents
from .clusters import b_cubed, ceaf_e, metric_prf, muc, score_clusters, score_titles
from .conll import entity_prf, read_tagged, spans_to_tags, tags_to_spans, to_iob2
from .evaluate import evaluate
from .events import score_events
from .ner import score_ner

__all__ = [
    "evaluate", "score_ner", "score_events", "score_clusters", "score_titles", "muc", "b_cubed", "ceaf_e",
    "metric_prf", "AlignmentError", "align_documents", "entity_prf", "read_tagged", "tags_to_spans", "spans_to_tags", "to_iob2",
]
