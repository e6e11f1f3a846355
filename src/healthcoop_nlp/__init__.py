"""healthcoop_nlp: language, entities and events from French and Arabic health-cooperation news.

    import healthcoop_nlp
    nlp = healthcoop_nlp.load()
    record = nlp("Le ministre de la Santé s'est entretenu lundi à Rabat avec ...", date="2024-03")
    print(record.to_json())
"""

from __future__ import annotations

from typing import Any, Sequence

from .io.errors import DocumentError, InputError
from .pipeline import COMPONENTS, DEFAULT_COMPONENTS, Pipeline, PipelineError, available_components
from .record import Argument, Entity, Event, Mention, Record, Span

__version__ = "0.1.0"

__all__ = [
    "load", "identify", "Pipeline", "PipelineError", "Record", "Entity", "Mention", "Event", "Argument", "Span",
    "DocumentError", "InputError", "COMPONENTS", "DEFAULT_COMPONENTS", "__version__",
]


def load(components: Sequence[str] | None = None, config: dict[str, dict[str, Any]] | None = None,
         given: Sequence[str] = ()) -> Pipeline:
    """Build the extraction pipeline.

    ``components`` picks components by name (default: every installed one of
    langid, ner, entities, events, in that order); ``config`` passes keyword
    options per component, e.g. ``{"events": {"threshold": 0.5}}``; ``given``
    names what the input already carries (``("lang",)`` to run ``ner`` on
    documents of known language without ``langid``). Language models load on
    the first document of their language.
    """
    if components is None:
        components = [c for c in DEFAULT_COMPONENTS if c in available_components()]
    return Pipeline(components, config, given)


def identify(text: str, segments: bool = False):
    """Language of a text: a ``LangResult`` (lang, confidence, dialect, and segments on request)."""
    from .langid import identify as _identify

    return _identify(text, segments=segments)
