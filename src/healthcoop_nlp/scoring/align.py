"""Pairing gold and predicted records by document id, with clear errors for mismatches."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from ..record import Record

__all__ = ["AlignmentError", "Alignment", "align_documents", "empty_prediction"]


class AlignmentError(ValueError):
    """Gold and predicted records that cannot be paired (missing, extra or duplicate ids, other text)."""


@dataclass
class Alignment:
    """Gold/pred record pairs in gold order, and the ids scored as empty predictions."""

    pairs: list[tuple[Record, Record]]
    missing: list[str] = field(default_factory=list)


def _ids(ids: Sequence[str], limit: int = 10) -> str:
    shown = ", ".join(ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def empty_prediction(gold: Record) -> Record:
    """A prediction with the gold's id and text and nothing extracted (language ``und``)."""
    return Record(id=gold.id, text=gold.text, lang="und", source=gold.source, date=gold.date)


def align_documents(gold: Sequence[Record], pred: Sequence[Record], allow_missing: bool = False,
                    gold_name: str = "gold", pred_name: str = "pred") -> Alignment:
    """Pair each gold record with the predicted record of the same id.

    Raises AlignmentError, naming the files and the ids, for a duplicate id,
    a predicted id not in the gold, a gold id without a prediction (unless
    ``allow_missing``: then it is scored as an empty prediction and listed in
    ``missing``) and a prediction whose text differs from the gold text.
    """
    for recs, name in ((gold, gold_name), (pred, pred_name)):
        seen: set[str] = set()
        dups = []
        for r in recs:
            if r.id in seen:
                dups.append(r.id)
            seen.add(r.id)
        if dups:
            raise AlignmentError(f"{name}: duplicate document id(s) {_ids(dups)}; each id must occur once")
    by_id = {r.id: r for r in pred}
    gold_ids = {r.id for r in gold}
    extra = [r.id for r in pred if r.id not in gold_ids]
    if extra:
        raise AlignmentError(f"{pred_name} has {len(extra)} document id(s) that are not in {gold_name}: {_ids(extra)}; "
                             "predict only the gold documents (same ids)")
    missing = [r.id for r in gold if r.id not in by_id]
    if missing and not allow_missing:
        raise AlignmentError(f"{len(missing)} document id(s) of {gold_name} have no prediction in {pred_name}: "
                             f"{_ids(missing)}; predict them, or pass --allow-missing to score them as empty")
    pairs = []
    for g in gold:
        p = by_id.get(g.id)
        if p is None:
            p = empty_prediction(g)
        elif p.text != g.text:
            i = next((k for k, (a, b) in enumerate(zip(g.text, p.text)) if a != b), min(len(g.text), len(p.text)))
            raise AlignmentError(
                f"document {g.id!r}: the text in {pred_name} differs from the text in {gold_name} "
                f"(first difference at character {i}: gold {g.text[i:i + 20]!r}, pred {p.text[i:i + 20]!r}; "
                f"lengths {len(g.text)} and {len(p.text)}); predict on the gold text unchanged so offsets agree")
        pairs.append((g, p))
    return Alignment(pairs=pairs, missing=missing)
