"""Span helpers shared by every NER tagger and backend: tags to spans, and one flat set of mentions.

They live apart from the taggers so that a backend (``backends/``) and a tagger
(``ar.py``, ``fr.py``) both import them without importing each other.
"""

from __future__ import annotations

from typing import Any

from ..record import Mention

__all__ = ["spans_from_tags", "resolve_overlaps"]


def spans_from_tags(tags: list[str]) -> list[tuple[str, int, int]]:
    """IOB2 (lenient: a stray ``I-X`` starts a chunk) tags -> (label, first, end exclusive)."""
    out: list[tuple[str, int, int]] = []
    cur: list[Any] | None = None
    for i, t in enumerate(tags):
        if t.startswith("I-") and cur is not None and cur[0] == t[2:]:
            cur[2] = i + 1
            continue
        if cur is not None:
            out.append(tuple(cur))  # type: ignore[arg-type]
            cur = None
        if t != "O":
            cur = [t[2:], i, i + 1]
    if cur is not None:
        out.append(tuple(cur))  # type: ignore[arg-type]
    return out


def resolve_overlaps(items: list[tuple[str, Mention, int]]) -> list[tuple[str, Mention]]:
    """Flat mentions: items are (label, mention, priority); on overlap the higher priority,
    then the longer span, wins."""
    chosen: list[tuple[str, Mention, int]] = []
    for item in sorted(items, key=lambda x: (-x[2], -(x[1].end - x[1].start), x[1].start)):
        if all(not (item[1].start < c[1].end and c[1].start < item[1].end) for c in chosen):
            chosen.append(item)
    return [(lab, m) for lab, m, _ in sorted(chosen, key=lambda x: x[1].start)]
