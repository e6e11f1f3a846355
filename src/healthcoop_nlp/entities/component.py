"""The ``entities`` component: single-mention entities in, document-level entities out.

It takes ``record.entities`` as the ``ner`` component leaves them (one entity
per mention), groups the mentions of one real-world thing (``grouping``),
and gives each person the job title first written next to one of its names
(``titles``; the finite verbs of the French parse in
``record.annotations["spacy_doc"]``, when the ner step left one, bound titles). Entities get ids ``e1``, ``e2``... in order of first mention,
``name`` = the longest mention, mentions sorted by position.
"""

from __future__ import annotations

import importlib
import logging
from typing import Any, Callable, Iterable

from ..record import Entity, Mention, Record
from .grouping import group_mentions
from .titles import find_titles, title_lang

__all__ = ["EntitiesComponent", "build_entities", "finite_verb_offsets", "gazetteer_lookup"]

log = logging.getLogger(__name__)


def gazetteer_lookup(lang: str) -> Callable[[str], str | None] | None:
    """``Gazetteer.load(lang).key_of`` from ``healthcoop_nlp.ner.gazetteer``, or None when
    that module or the language's gazetteer file is not available."""
    try:
        module = importlib.import_module("healthcoop_nlp.ner.gazetteer")
        gaz = module.Gazetteer.load(lang)
        return gaz.key_of
    except (ImportError, AttributeError, FileNotFoundError, OSError, ValueError, KeyError) as e:
        log.debug("no gazetteer for %s: %s", lang, e)
        return None


def finite_verb_offsets(doc: Any, text: str) -> frozenset[int]:
    """Start offsets of the finite verbs of a spaCy ``Doc`` parsed from ``text`` (empty otherwise)."""
    if doc is None or getattr(doc, "text", None) != text:
        return frozenset()
    return frozenset(t.idx for t in doc if t.pos_ in ("VERB", "AUX") and "Fin" in t.morph.get("VerbForm"))


def build_entities(text: str, mentions: list[tuple[str, Mention]], lang: str,
                   key_of: Callable[[str], str | None] | None = None, titles: bool = True,
                   finite_verbs: Iterable[int] = ()) -> list[Entity]:
    """Document-level entities from (label, mention) pairs over ``text``."""
    groups = group_mentions(text, mentions, key_of)
    found = find_titles(text, mentions, lang, finite_verbs) if titles else [None] * len(mentions)
    out = []
    for n, members in enumerate(groups, start=1):
        label = mentions[members[0]][0]
        ms = [mentions[i][1] for i in members]
        name = max(ms, key=lambda m: len(m.text)).text  # first longest on ties
        title = None
        if label == "PER":
            title = next((found[i].text for i in members if found[i] is not None), None)
        out.append(Entity(id=f"e{n}", label=label, mentions=ms, name=name, title=title))
    return out


class EntitiesComponent:
    """Groups mentions into entities and attaches job titles to persons."""

    name = "entities"
    requires = ("mentions",)
    provides = ("entities",)

    def __init__(self, gazetteer: bool = True, titles: bool = True):
        """``gazetteer=False`` groups without gazetteer keys; ``titles=False`` leaves every title null."""
        self.use_gazetteer = gazetteer
        self.titles = titles
        self._gaz: dict[str, Callable[[str], str | None] | None] = {}

    def key_of(self, lang: str) -> Callable[[str], str | None] | None:
        if not self.use_gazetteer:
            return None
        if lang not in self._gaz:
            self._gaz[lang] = gazetteer_lookup(lang)
        return self._gaz[lang]

    def __call__(self, record: Record) -> Record:
        mentions = [(e.label, m) for e in record.entities for m in e.mentions]
        mentions.sort(key=lambda lm: (lm[1].start, lm[1].end))
        lang = title_lang(record.lang, record.text)
        verbs = finite_verb_offsets(record.annotations.get("spacy_doc"), record.text)
        record.entities = build_entities(record.text, mentions, lang, self.key_of(lang), self.titles, verbs)
        return record

    def pipe(self, records: Iterable[Record]) -> list[Record]:
        return [self(r) for r in records]
