"""Events: document-level health-cooperation events with triggers, arguments and scores.

Steps, one module each: ``triggers`` (lexicon and trigger finding),
``factuality`` (drop wishes, calls and general statements), ``arguments``
(link entities to roles), ``merging`` (one event per real-world event),
``component`` (the pipeline component).
"""

from .component import EventsComponent, extract_events

__all__ = ["EventsComponent", "extract_events"]
