"""The ``ner`` component: per-language taggers, loaded on the first document of their language.

A tagger is any object with ``tag(record) -> list[tuple[str, Mention]]``
(label, mention) over ``record.text``, and optionally
``tag_batch(records) -> list[list[tuple[str, Mention]]]`` and
``memory_zone()`` (a context manager freeing what the tagger cached for the
documents tagged inside it, as spaCy's ``Language.memory_zone``). The component adds
one single-mention entity per mention (ids ``m0``, ``m1``, ... in text order);
the ``entities`` component groups them.
"""

from __future__ import annotations

import importlib
from typing import Any, ContextManager, Iterable, Protocol

from ..record import Entity, Mention, Record

__all__ = ["NerComponent", "Tagger", "TAGGERS", "UnsupportedLanguage"]

# lang -> "module:loader"; the loader takes keyword options and returns a Tagger.
TAGGERS: dict[str, str] = {
    "fr": "healthcoop_nlp.ner.fr:load_tagger",
    "ar": "healthcoop_nlp.ner.ar:load_tagger",
}


class Tagger(Protocol):
    def tag(self, record: Record) -> list[tuple[str, Mention]]: ...


class UnsupportedLanguage(ValueError):
    """No tagger for the document's language."""


class NerComponent:
    name = "ner"
    requires = ("lang",)
    provides = ("mentions",)

    def __init__(self, languages: Iterable[str] | None = None, unknown: str = "error",
                 options: dict[str, dict[str, Any]] | None = None):
        """``unknown="error"`` (default) fails a document of another language with a
        message naming it, so no document is silently left without entities;
        ``"skip"`` keeps such documents, with their language and no entities."""
        if unknown not in ("error", "skip"):
            raise ValueError('unknown must be "error" or "skip"')
        self.languages = set(languages or TAGGERS)
        self.unknown = unknown
        self.options = options or {}
        self._taggers: dict[str, Tagger] = {}

    def tagger(self, lang: str) -> Tagger | None:
        if lang not in self._taggers:
            if lang not in self.languages or lang not in TAGGERS:
                if self.unknown == "error":
                    what = "undetermined language ('und')" if lang == "und" else f"language {lang!r}"
                    raise UnsupportedLanguage(
                        f"no NER model for the document's {what}; supported: "
                        f"{', '.join(sorted(self.languages & set(TAGGERS)))}. Give the language in the input "
                        "if it was misidentified, or use --skip-unsupported (config ner.unknown='skip') "
                        "to keep such documents without entities")
                return None
            module, _, attr = TAGGERS[lang].partition(":")
            self._taggers[lang] = getattr(importlib.import_module(module), attr)(**self.options.get(lang, {}))
        return self._taggers[lang]

    def memory_zone(self) -> ContextManager[None]:
        """The memory zones of the taggers loaded so far, held together. A tagger loaded
        inside the block (on its language's first document) starts zoned with the next one."""
        from ..pipeline import memory_zones

        return memory_zones(self._taggers.values())

    @staticmethod
    def _add(record: Record, tagged: list[tuple[str, Mention]]) -> Record:
        tagged = sorted(tagged, key=lambda lm: (lm[1].start, lm[1].end))
        record.entities = [
            Entity(id=f"m{i}", label=label, mentions=[m], name=m.text) for i, (label, m) in enumerate(tagged)
        ]
        return record

    def __call__(self, record: Record) -> Record:
        t = self.tagger(record.lang)
        return record if t is None else self._add(record, t.tag(record))

    def pipe(self, records: list[Record]) -> list[Record]:
        by_lang: dict[str, list[Record]] = {}
        for r in records:
            by_lang.setdefault(r.lang, []).append(r)
        for lang, group in by_lang.items():
            t = self.tagger(lang)
            if t is None:
                continue
            batch = getattr(t, "tag_batch", None)
            results = batch(group) if batch is not None else [t.tag(r) for r in group]
            for r, tagged in zip(group, results):
                self._add(r, tagged)
        return records
