"""Bounded windows of a long text, and the merging of what was found in each.

A document longer than a window is cut at the last paragraph break, else line
break, else sentence end, else space of each window's second half (a hard cut
only in a run of half a window without any of them). Each window is processed
as a record of its own; ``merge_window`` shifts its spans back to the
document's offsets and renumbers its entity and event ids so that they stay
unique. Time and memory then grow linearly with the length of a document,
whatever its shape; what a window cannot see is the rest of the document
(entities are not grouped across windows).
"""

from __future__ import annotations

import re

from .record import Record

__all__ = ["windows", "sub_record", "merge_window"]

_SENTENCE_END = re.compile(r"[.!?؟؛;…]+[\"'»”)\]]*\s+")
_SPACE = re.compile(r"\s+")
_ID = re.compile(r"^(\D*)(\d+)$")


def windows(text: str, size: int) -> list[tuple[int, int]]:
    """``(start, end)`` windows covering ``text`` end to end, each at most ``size`` characters."""
    if size < 2:
        raise ValueError("a window must be at least 2 characters")
    out, start, n = [], 0, len(text)
    while n - start > size:
        end = _cut(text, start, start + size)
        out.append((start, end))
        start = end
    out.append((start, n))
    return out


def _cut(text: str, start: int, limit: int) -> int:
    lo = start + (limit - start) // 2
    for sep in ("\n\n", "\n"):
        i = text.rfind(sep, lo, limit)
        if i >= 0:
            return i + len(sep)
    for pattern in (_SENTENCE_END, _SPACE):
        last = None
        for last in pattern.finditer(text, lo, limit):
            pass
        if last is not None:
            return last.end()
    return limit


def sub_record(record: Record, start: int, end: int) -> Record:
    """The window ``[start, end)`` of a record as a record of its own (language and date
    kept; the language marked as given, so it is not identified again)."""
    sub = Record(id=record.id, text=record.text[start:end], lang=record.lang, source=record.source,
                 date=record.date, dialect=record.dialect)
    sub.annotations["lang_given"] = True
    sub.annotations["window"] = (start, end)
    return sub


def merge_window(record: Record, part: Record, offset: int, next_number: dict[str, int]) -> None:
    """Add the entities and events found in a window (``part``, starting at ``offset``) to
    ``record``: spans shifted by ``offset``; ids renumbered after those already used
    (``next_number``: id prefix -> next free number, updated), arguments following."""
    renamed: dict[str, str] = {}
    for e in part.entities:
        renamed[e.id] = e.id = _renumber(e.id, next_number)
        for m in e.mentions:
            m.start += offset
            m.end += offset
        record.entities.append(e)
    for ev in part.events:
        ev.id = _renumber(ev.id, next_number)
        for t in ev.triggers:
            t.start += offset
            t.end += offset
        for a in ev.arguments:
            a.entity = renamed.get(a.entity, a.entity)
        record.events.append(ev)


def _renumber(old: str, next_number: dict[str, int]) -> str:
    m = _ID.match(old)
    prefix, n = (m.group(1), int(m.group(2))) if m else (old + ".", 1)
    k = next_number.setdefault(prefix, n)
    next_number[prefix] = k + 1
    return f"{prefix}{k}"
