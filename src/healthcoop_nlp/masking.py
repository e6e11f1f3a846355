"""Invisible control characters masked for the components, with the offsets kept.

Bidi marks (U+200E, U+200F, U+061C, U+202A-U+202E, U+2066-U+2069), a stray
BOM (U+FEFF) and C0 controls other than tab and newlines (NUL included) are not
words, but a tagger reads them as parts of words: ``Santé\\u202c`` would become a
span. The pipeline hands its components a copy of the text where each is a
space (same length, so every offset still indexes the raw text), then puts the
raw text back and re-reads every span's text from it. (A mark inside a word
splits it in two for the taggers; such marks belong between runs of text of
different directions, that is between words.)
"""

from __future__ import annotations

import re

from .record import Record

__all__ = ["INVISIBLE", "mask_controls", "unmask"]

INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def mask_controls(text: str) -> str | None:
    """``text`` with every invisible control character replaced by a space, or None when
    it has none (the common case: nothing is copied)."""
    if INVISIBLE.search(text) is None:
        return None
    return INVISIBLE.sub(" ", text)


def unmask(record: Record, raw: str) -> Record:
    """Put the raw text back into ``record`` and re-read each mention's and trigger's text
    (and an entity name that was one of its mentions) from it."""
    record.text = raw
    for e in record.entities:
        names = {}
        for m in e.mentions:
            names.setdefault(m.text, raw[m.start:m.end])
            m.text = raw[m.start:m.end]
        if e.name is not None and e.name in names:
            e.name = names[e.name]
    for ev in record.events:
        for t in ev.triggers:
            t.text = raw[t.start:t.end]
    return record
