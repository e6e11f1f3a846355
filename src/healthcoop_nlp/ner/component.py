"""The ``ner`` component: per-language taggers, loaded on the first document of their language.

A tagger is any object with ``tag(record) -> list[tuple[str, Mention]]``
(label, mention) over ``record.text``, and optionally
``tag_batch(records) -> list[list[tuple[str, Mention]]]`` and
``memory_zone()`` (a context manager freeing what the tagger cached for the
documents tagged inside it, as spaCy's ``Language.memory_zone``). The component adds
one single-mention entity per mention (ids ``m0``, ``m1``, ... in text order);
the ``entities`` component groups them.

A text longer than ``window`` characters (10,000 by default; news articles are
far shorter) is tagged in windows cut at paragraph, else line, else sentence,
else word boundaries, a few windows at a time, and the mentions are shifted
back to the text's offsets: time and memory grow linearly with the length of
a document, whatever its shape, and no tagger sees more than ``window``
characters (spaCy refuses a text over 1,000,000 and needs ~4 GB just under).
"""

from __future__ import annotations

import dataclasses
import importlib
from typing import Any, ContextManager, Iterable, Iterator, Protocol

from ..record import Entity, Mention, Record
from ..windows import sub_record, windows

__all__ = ["NerComponent", "Tagger", "TAGGERS", "UnsupportedLanguage", "DEFAULT_WINDOW"]

DEFAULT_WINDOW = 10_000
# windows of one long document handed to ``tag_batch`` at once (bounds the parses held in memory)
WINDOWS_PER_CALL = 2

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
                 options: dict[str, dict[str, Any]] | None = None, window: int = DEFAULT_WINDOW):
        """``unknown="error"`` (default) fails a document of another language with a
        message naming it, so no document is silently left without entities;
        ``"skip"`` keeps such documents, with their language and no entities.
        ``window``: the most characters a tagger sees at once (longer texts are cut)."""
        if unknown not in ("error", "skip"):
            raise ValueError('unknown must be "error" or "skip"')
        self.languages = set(languages or TAGGERS)
        self.unknown = unknown
        self.options = options or {}
        self.window = int(window)
        if self.window < 2:
            raise ValueError("window must be at least 2 characters")
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
        if t is None:
            return record
        if len(record.text) > self.window:
            return self._add(record, self._tag_long(t, record))
        return self._add(record, t.tag(record))

    def pipe(self, records: list[Record]) -> list[Record]:
        by_lang: dict[str, list[Record]] = {}
        for r in records:
            by_lang.setdefault(r.lang, []).append(r)
        for lang, group in by_lang.items():
            t = self.tagger(lang)
            if t is None:
                continue
            short = [r for r in group if len(r.text) <= self.window]
            if short:
                for r, tagged in zip(short, _tag_all(t, short)):
                    self._add(r, tagged)
            for r in group:
                if len(r.text) > self.window:
                    self._add(r, self._tag_long(t, r))
        return records

    def _tag_long(self, tagger: Tagger, record: Record) -> list[tuple[str, Mention]]:
        """Mentions of a text over ``window`` characters, tagged window by window."""
        spans = windows(record.text, self.window)
        out: list[tuple[str, Mention]] = []
        for i in range(0, len(spans), WINDOWS_PER_CALL):
            part = spans[i:i + WINDOWS_PER_CALL]
            subs = [sub_record(record, a, b) for a, b in part]
            for (a, _), tagged in zip(part, _tag_all(tagger, subs)):
                out += [(label, dataclasses.replace(m, start=m.start + a, end=m.end + a)) for label, m in tagged]
        return out


def _tag_all(tagger: Tagger, records: list[Record]) -> Iterator[list[tuple[str, Mention]]]:
    batch = getattr(tagger, "tag_batch", None)
    return iter(batch(records)) if batch is not None else (tagger.tag(r) for r in records)
