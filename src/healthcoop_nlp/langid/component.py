"""The ``langid`` pipeline component: sets ``record.lang`` and ``record.dialect``."""

from __future__ import annotations

from typing import Any, Iterable

from ..record import Record
from .identify import LangResult, LanguageIdentifier, default_identifier

__all__ = ["LangIdComponent"]


class LangIdComponent:
    """Identifies each record's language (most characters wins) and, for Arabic, the dialect.

    A language given with the input (``record.annotations["lang_given"]``) is
    kept; the dialect is still detected when that language is ``ar``. The
    segments are left in ``record.annotations["lang_segments"]`` for later
    components. Options: ``languages`` (None, ``"all"`` or script -> codes)
    and ``darija`` (False to skip dialect detection).
    """

    name = "langid"
    requires = ("text",)
    provides = ("lang",)

    def __init__(self, languages: str | dict[str, Iterable[str]] | None = None, darija: bool = True):
        self._options: dict[str, Any] = {"languages": languages, "darija": None if darija else False}
        self._identifier: LanguageIdentifier | None = None

    @property
    def identifier(self) -> LanguageIdentifier:
        if self._identifier is None:
            if self._options["languages"] is None and self._options["darija"] is None:
                self._identifier = default_identifier()
            else:
                self._identifier = LanguageIdentifier(**self._options)
        return self._identifier

    def __call__(self, record: Record) -> Record:
        return self._set(record, self.identifier.identify(record.text, segments=True))

    def pipe(self, records: list[Record]) -> list[Record]:
        """The records of a batch, identified together (faster than one by one)."""
        results = self.identifier.identify_batch([r.text for r in records], segments=True)
        return [self._set(r, res) for r, res in zip(records, results)]

    def _set(self, record: Record, result: LangResult) -> Record:
        record.annotations["lang_segments"] = result.segments
        if record.annotations.get("lang_given"):
            if record.lang == "ar":  # the dialect of the Arabic part, whatever else the text holds
                arabic = [s for s in result.segments or [] if s.lang == "ar"]
                record.dialect = self.identifier.combine(arabic).dialect
            return record
        record.lang = result.lang
        record.dialect = result.dialect
        return record
