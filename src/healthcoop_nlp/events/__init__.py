"""Events: document-level health-cooperation events with triggers, arguments and scores.

The default method is learned (``learned.py``): candidate trigger words
(``features.find_candidates``) are scored by one logistic regression per type,
merged into events by a pair model, kept or dropped by an event model, and
their arguments linked by an (event, entity, role) model; the models are
``models/events/events.json`` (``linear.py``), trained by
``python -m healthcoop_nlp.train.events`` on hcnews/train with the same
feature code (``features.py``).

The hand rules (``method="rules"``), one module each: ``triggers`` (lexicon and
trigger finding, also the learned method's candidates and features),
``factuality`` (drop wishes, calls and general statements; a feature of the
learned method), ``arguments`` (link entities to roles), ``merging`` (one
event per real-world event), ``component`` (the pipeline component).
"""

from .component import EventsComponent, extract_events

__all__ = ["EventsComponent", "extract_events"]
