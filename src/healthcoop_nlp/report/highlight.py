"""Highlighted HTML of a document's raw text: spans cut at every boundary, each piece escaped.

Offsets are code points into the raw text (Python ``str`` indices), so the
text is sliced as it is; overlapping spans (a gold and a predicted mention
that cross) become a sequence of pieces, each covered by the marks that
contain it. A mark may carry ``head`` attributes: they go on one element
only (the mark's first piece), so a mark with ``data-error-id`` yields exactly
one element carrying that id whatever the overlaps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import Sequence

__all__ = ["Mark", "Piece", "segment", "highlight"]


@dataclass(frozen=True)
class Mark:
    """A highlighted span ``[start, end)`` of the text.

    ``key`` names the mark on every piece it covers (``data-m``), ``classes``
    go on every piece it covers, ``head`` (attribute name, value) pairs on a
    wrapper of its first piece only; ``note`` joins the ``title`` (tooltip) of
    every piece it covers.
    """

    start: int
    end: int
    key: str
    classes: tuple[str, ...] = ()
    head: tuple[tuple[str, str], ...] = ()
    note: str = ""


@dataclass
class Piece:
    """A run ``[start, end)`` of the text covered by the same marks (none for plain text)."""

    start: int
    end: int
    marks: list[Mark] = field(default_factory=list)


def _check(text: str, marks: Sequence[Mark]) -> None:
    for m in marks:
        if not (0 <= m.start < m.end <= len(text)):
            raise ValueError(f"mark {m.key!r} has offsets {m.start}-{m.end} outside the text (length {len(text)}); "
                             "offsets must be code-point indices into the raw text with start < end")


def segment(text: str, marks: Sequence[Mark]) -> list[Piece]:
    """The text cut at every mark boundary: consecutive pieces covering ``[0, len(text))``.

    Each piece lists the marks that contain it, in the order given.
    Raises ValueError for a mark outside the text or an empty mark.
    """
    _check(text, marks)
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    pieces = [Piece(a, b) for a, b in zip(cuts, cuts[1:])]
    index = {p.start: k for k, p in enumerate(pieces)}
    for m in marks:
        k = index[m.start]
        while k < len(pieces) and pieces[k].end <= m.end:
            pieces[k].marks.append(m)
            k += 1
    return pieces


def _attrs(pairs: Sequence[tuple[str, str]]) -> str:
    return "".join(f' {name}="{escape(value, quote=True)}"' for name, value in pairs)


def highlight(text: str, marks: Sequence[Mark]) -> str:
    """HTML of ``text`` with each marked piece in ``<span class="hl ..." data-m="keys">``.

    Unmarked text is escaped as it is; a mark's ``head`` attributes go on a
    ``<span class="head">`` inside the mark's first piece.
    """
    out: list[str] = []
    for p in segment(text, marks):
        chunk = escape(text[p.start:p.end], quote=False)
        if not p.marks:
            out.append(chunk)
            continue
        for m in reversed(p.marks):
            if m.head and m.start == p.start:
                chunk = f'<span class="head"{_attrs(m.head)}>{chunk}</span>'
        classes: list[str] = ["hl"]
        for m in p.marks:
            classes += [c for c in m.classes if c not in classes]
        keys = " ".join(m.key for m in p.marks)
        notes = " | ".join(m.note for m in p.marks if m.note)
        title = f' title="{escape(notes, quote=True)}"' if notes else ""
        out.append(f'<span class="{escape(" ".join(classes), quote=True)}" data-m="{escape(keys, quote=True)}"{title}>'
                   f"{chunk}</span>")
    return "".join(out)
