"""NER scores: strict and partial P/R/F1 per label, micro-averaged, per language; error list.

Counting (mentions are compared within one document, entity ids ignored):

- strict: a predicted mention is a true positive when it is paired with a
  gold mention of the same start, end and label; pairing is one-to-one, so a
  duplicated prediction counts once as correct and once as spurious.
- partial: a maximum one-to-one matching between gold and predicted mentions
  whose spans overlap (share at least one character) and whose labels are
  equal; among maximum matchings, the one with the largest total overlap
  (Jaccard of the character spans) is taken. Matched pairs are the true
  positives. Each mention counts at most once, so a predicted mention that
  covers two gold mentions is one true positive and one missed mention.
- precision = tp / predicted mentions, recall = tp / gold mentions,
  F1 = 2 tp / (predicted + gold); micro = the same over the summed counts of
  all labels. Figures are None when there is neither gold nor prediction.

Error classes (each mention is in exactly one, decided in this order):
``correct`` (strict pair); ``wrong_label`` (same start and end, other label);
``wrong_boundary`` (same label, spans overlap, different start or end: the
partial matching of what is left); ``wrong_label_boundary`` (spans overlap,
label and boundaries differ); then ``missed`` (a gold mention left over) and
``spurious`` (a predicted mention left over). The pairing at each step is a
maximum one-to-one matching as above.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

from ..record import LABELS, Record
from .align import align_documents
from .matching import context, jaccard, max_matching, overlap, overlapping_pairs
from .metrics import prf

__all__ = ["MentionRow", "NerDoc", "mention_rows", "ner_document", "summarize_ner", "score_ner", "labels_of", "ERROR_KINDS"]

ERROR_KINDS = ("missed", "spurious", "wrong_label", "wrong_boundary", "wrong_label_boundary")


@dataclass(frozen=True)
class MentionRow:
    """One mention flattened with its entity: offsets, text, label, entity id."""

    start: int
    end: int
    text: str
    label: str
    entity: str

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text, "label": self.label, "entity": self.entity}


@dataclass
class NerDoc:
    """One document's NER comparison: counts per label, mention statuses, errors."""

    id: str
    lang: str
    labels: list[str]
    gold: list[MentionRow]
    pred: list[MentionRow]
    strict: dict[str, list[int]] = field(default_factory=dict)   # label -> [tp, pred, gold]
    partial: dict[str, list[int]] = field(default_factory=dict)
    gold_status: list[str] = field(default_factory=list)
    pred_status: list[str] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)


def mention_rows(record: Record, labels: Iterable[str] | None = None) -> list[MentionRow]:
    """The record's mentions in text order, restricted to ``labels`` when given."""
    keep = set(labels) if labels is not None else None
    rows = [MentionRow(m.start, m.end, m.text, e.label, e.id) for m, e in record.mentions()
            if keep is None or e.label in keep]
    rows.sort(key=lambda r: (r.start, r.end, r.label))
    return rows


def _strict(g: MentionRow, p: MentionRow) -> float | None:
    return 1.0 if (g.start, g.end, g.label) == (p.start, p.end, p.label) else None


def _partial(g: MentionRow, p: MentionRow) -> float | None:
    if g.label != p.label or overlap(g.start, g.end, p.start, p.end) == 0:
        return None
    return jaccard(g.start, g.end, p.start, p.end)


def _same_span(g: MentionRow, p: MentionRow) -> float | None:
    return 1.0 if (g.start, g.end) == (p.start, p.end) else None


def _any_overlap(g: MentionRow, p: MentionRow) -> float | None:
    return jaccard(g.start, g.end, p.start, p.end) if overlap(g.start, g.end, p.start, p.end) else None


def _counts(pairs: list[tuple[int, int]], gold: Sequence[MentionRow], pred: Sequence[MentionRow],
            labels: Sequence[str]) -> dict[str, list[int]]:
    c = {lab: [0, 0, 0] for lab in labels}
    for gi, _ in pairs:
        c[gold[gi].label][0] += 1
    for p in pred:
        c[p.label][1] += 1
    for g in gold:
        c[g.label][2] += 1
    return c


def ner_document(gold: Record, pred: Record, labels: Sequence[str] | None = None,
                 window: int = 60) -> NerDoc:
    """Compare the mentions of one gold and one predicted record (same id and text)."""
    if labels is None:
        labels = labels_of([gold], [pred])
    g_rows = mention_rows(gold, labels)
    p_rows = mention_rows(pred, labels)
    doc = NerDoc(id=gold.id, lang=gold.lang, labels=list(labels), gold=g_rows, pred=p_rows)
    cand = overlapping_pairs(g_rows, p_rows)   # every weight below needs overlapping spans
    strict_pairs = max_matching(g_rows, p_rows, _strict, cand)
    doc.strict = _counts(strict_pairs, g_rows, p_rows, labels)
    doc.partial = _counts(max_matching(g_rows, p_rows, _partial, cand), g_rows, p_rows, labels)

    g_status = [""] * len(g_rows)
    p_status = [""] * len(p_rows)
    for gi, pi in strict_pairs:
        g_status[gi] = p_status[pi] = "correct"
    for kind, weight in (("wrong_label", _same_span), ("wrong_boundary", _partial),
                         ("wrong_label_boundary", _any_overlap)):
        left = [(i, j) for i, j in cand if not g_status[i] and not p_status[j]]
        for gi, pi in max_matching(g_rows, p_rows, weight, left):
            g_status[gi] = p_status[pi] = kind
            doc.errors.append(_error(kind, gold, g_rows[gi], p_rows[pi], window))
    for gi, s in enumerate(g_status):
        if not s:
            g_status[gi] = "missed"
            doc.errors.append(_error("missed", gold, g_rows[gi], None, window))
    for pi, s in enumerate(p_status):
        if not s:
            p_status[pi] = "spurious"
            doc.errors.append(_error("spurious", gold, None, p_rows[pi], window))
    doc.errors.sort(key=lambda e: (e["start"], e["end"]))
    doc.gold_status, doc.pred_status = g_status, p_status
    return doc


def _error(kind: str, gold: Record, g: MentionRow | None, p: MentionRow | None, window: int) -> dict:
    spans = [r for r in (g, p) if r is not None]
    s, e = min(r.start for r in spans), max(r.end for r in spans)
    return {
        "task": "ner", "kind": kind, "doc": gold.id, "lang": gold.lang, "start": s, "end": e,
        "gold": g.to_dict() if g else None, "pred": p.to_dict() if p else None,
        "context": context(gold.text, s, e, window),
    }


def labels_of(gold: Iterable[Record], pred: Iterable[Record]) -> list[str]:
    seen = {e.label for recs in (gold, pred) for r in recs for e in r.entities}
    return list(LABELS) + sorted(seen - set(LABELS))


def _table(counts: dict[str, list[int]], labels: Sequence[str]) -> dict:
    per = {lab: prf(*counts.get(lab, [0, 0, 0])) for lab in labels}
    tot = [sum(counts.get(lab, [0, 0, 0])[k] for lab in labels) for k in range(3)]
    f1s = [v["f1"] for v in per.values() if v["f1"] is not None]
    return {"labels": per, "micro": prf(*tot), "macro_f1": sum(f1s) / len(f1s) if f1s else None}


def _sum(docs: Sequence[NerDoc], attr: str, labels: Sequence[str]) -> dict[str, list[int]]:
    out = {lab: [0, 0, 0] for lab in labels}
    for d in docs:
        for lab, c in getattr(d, attr).items():
            if lab in out:
                for k in range(3):
                    out[lab][k] += c[k]
    return out


def summarize_ner(docs: Sequence[NerDoc], labels: Sequence[str]) -> dict:
    """Strict and partial tables (per label, micro, macro) overall and per gold language, and error counts."""
    def block(ds: Sequence[NerDoc]) -> dict:
        return {"strict": _table(_sum(ds, "strict", labels), labels),
                "partial": _table(_sum(ds, "partial", labels), labels),
                "documents": len(ds)}

    out = block(docs)
    langs = sorted({d.lang for d in docs})
    out["by_lang"] = {lang: block([d for d in docs if d.lang == lang]) for lang in langs}
    kinds = {k: 0 for k in ERROR_KINDS}
    for d in docs:
        for e in d.errors:
            kinds[e["kind"]] += 1
    out["error_counts"] = kinds
    out["labels_scored"] = list(labels)
    return out


def score_ner(gold: Sequence[Record], pred: Sequence[Record], labels: Sequence[str] | None = None,
              allow_missing: bool = False) -> dict:
    """NER scores of predicted records against gold records paired by id (see the module doc).

    Returns ``{"strict": {"labels": {L: prf}, "micro": prf, "macro_f1"}, "partial": {...},
    "by_lang": {lang: {"strict", "partial", "documents"}}, "error_counts", "documents",
    "labels_scored"}`` where prf is ``{precision, recall, f1, tp, pred, gold}``. With
    ``allow_missing`` a gold document without a prediction is scored as an empty one.
    """
    pairs = align_documents(gold, pred, allow_missing=allow_missing).pairs
    labels = list(labels) if labels is not None else labels_of(gold, pred)
    return summarize_ner([ner_document(g, p, labels) for g, p in pairs], labels)
