"""Language identification: the language of a text and of each segment, with Darija (``ary``) detection.

    from healthcoop_nlp.langid import identify
    r = identify("Le ministre a déclaré : « الصحة حق للجميع في كل مكان » avant de partir.", segments=True)
    r.lang, r.confidence, r.dialect, [(s.start, s.end, s.lang) for s in r.segments]
    results = identify_batch(texts)  # many texts: faster than one call each

Modules: ``segment`` (sentences and script changes), ``detector`` (fastText
and lingua per segment), ``darija`` (Darija vs MSA), ``identify`` (the
document result), ``component`` (the pipeline step), ``command`` (the CLI).
"""

from __future__ import annotations

from .identify import LangResult, LanguageIdentifier, Segment, default_identifier, identify, identify_batch

__all__ = ["identify", "identify_batch", "LangResult", "Segment", "LanguageIdentifier", "default_identifier"]
