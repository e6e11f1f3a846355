"""Entity clusters (MUC, B-cubed, CEAF-e) and PER titles.

Mentions are identified by their exact span ``(start, end)``; labels are
ignored here (NER scores them). Two settings:

- ``gold_mentions``: only the mentions present in both the gold and the
  prediction (same start and end) are kept, in both partitions; this scores
  the grouping alone, on the mentions the system found correctly.
- ``pred_mentions``: the full gold partition (key) against the full predicted
  partition (response). A mention found on one side only stays in its own
  cluster there and has no twin on the other side; a one-mention entity is a
  singleton. The formulas are applied to the two partitions as they are, as
  the CoNLL-2012 reference scorer (v8, Pradhan et al. 2014) does: no
  Cai & Strube (2010) twinless-mention adjustment. MUC ignores singletons
  (it counts links); B-cubed and CEAF-e count them.

Corpus figures sum each metric's numerators and denominators over documents,
as the reference scorer does. ``conll_f1`` is the mean of the three F1.

Titles: gold and predicted PER entities are paired one-to-one when a mention
of one overlaps a mention of the other (maximum matching, preferring pairs
whose mentions overlap most). For each pair the titles are tokenised with a
lowercase ``\\w+`` tokenizer (a null title has no tokens) and the common tokens
are counted as a multiset. ``token`` is precision/recall/F1 over the summed
token counts of all pairs (pairs where both titles are null add nothing);
``mean_f1`` averages each pair's token F1, where a pair with both titles null
scores 1 and a pair with exactly one null title scores 0; ``exact`` is the
share of pairs whose token lists are equal (both null included). Unpaired PER
entities are not scored here (their mentions are scored by NER).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment

from ..record import Entity, Record
from .align import align_documents
from .matching import max_matching
from .metrics import prf

__all__ = ["muc", "b_cubed", "ceaf_e", "metric_prf", "clusters_of", "ClusterDoc", "cluster_document",
           "summarize_clusters", "score_clusters", "title_tokens", "TitleDoc", "title_document",
           "summarize_titles", "score_titles", "METRICS"]

Span = tuple[int, int]
Partition = Sequence[frozenset]
Counts = tuple[float, float, float, float]   # recall num, recall den, precision num, precision den
METRICS = ("muc", "b3", "ceafe")


def _where(partition: Partition) -> dict:
    return {m: i for i, c in enumerate(partition) for m in c}


def _muc_side(key: Partition, response: Partition) -> tuple[float, float]:
    where = _where(response)
    num = den = 0
    for c in key:
        parts = {where.get(m, ("alone", m)) for m in c}
        num += len(c) - len(parts)
        den += len(c) - 1
    return num, den


def muc(key: Partition, response: Partition) -> Counts:
    """MUC (Vilain et al. 1995) counts: (recall num, recall den, precision num, precision den)."""
    rn, rd = _muc_side(key, response)
    pn, pd = _muc_side(response, key)
    return rn, rd, pn, pd


def _b3_side(key: Partition, response: Partition) -> tuple[float, float]:
    num = 0.0
    for k in key:
        for r in response:
            inter = len(k & r)
            if inter:
                num += inter * inter / len(k)
    return num, float(sum(len(k) for k in key))


def b_cubed(key: Partition, response: Partition) -> Counts:
    """B-cubed (Bagga & Baldwin 1998) counts, mention-weighted."""
    rn, rd = _b3_side(key, response)
    pn, pd = _b3_side(response, key)
    return rn, rd, pn, pd


def ceaf_e(key: Partition, response: Partition) -> Counts:
    """Entity-based CEAF (Luo 2005) with phi4 = 2|K∩R| / (|K|+|R|) and the best one-to-one alignment."""
    sim = 0.0
    if key and response:
        m = np.array([[2 * len(k & r) / (len(k) + len(r)) for r in response] for k in key])
        rows, cols = linear_sum_assignment(m, maximize=True)
        sim = float(m[rows, cols].sum())
    return sim, float(len(key)), sim, float(len(response))


def metric_prf(c: Counts) -> dict:
    """``{precision, recall, f1}`` from metric counts (None when both sides are empty)."""
    rn, rd, pn, pd = c
    if rd == 0 and pd == 0:
        return {"precision": None, "recall": None, "f1": None}
    r = rn / rd if rd else 0.0
    p = pn / pd if pd else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


_FUNCS = {"muc": muc, "b3": b_cubed, "ceafe": ceaf_e}


def clusters_of(record: Record, keep: set[Span] | None = None) -> list[frozenset]:
    """The record's entities as sets of mention spans (a span already seen in an earlier entity is skipped)."""
    seen: set[Span] = set()
    out = []
    for e in record.entities:
        c = set()
        for m in e.mentions:
            s = (m.start, m.end)
            if s in seen or (keep is not None and s not in keep):
                continue
            seen.add(s)
            c.add(s)
        if c:
            out.append(frozenset(c))
    return out


@dataclass
class ClusterDoc:
    """One document's metric counts in both settings."""

    id: str
    lang: str
    counts: dict[str, dict[str, Counts]] = field(default_factory=dict)   # setting -> metric -> counts


def cluster_document(gold: Record, pred: Record) -> ClusterDoc:
    """MUC, B-cubed and CEAF-e counts of one document on gold mentions and on predicted mentions."""
    key_all, resp_all = clusters_of(gold), clusters_of(pred)
    common = {m for c in key_all for m in c} & {m for c in resp_all for m in c}
    key_c, resp_c = clusters_of(gold, common), clusters_of(pred, common)
    doc = ClusterDoc(id=gold.id, lang=gold.lang)
    doc.counts["gold_mentions"] = {n: f(key_c, resp_c) for n, f in _FUNCS.items()}
    doc.counts["pred_mentions"] = {n: f(key_all, resp_all) for n, f in _FUNCS.items()}
    doc.counts["gold_mentions"]["mentions"] = (len(common),) * 4
    return doc


def _setting(docs: Sequence[ClusterDoc], setting: str) -> dict:
    out: dict = {}
    f1s = []
    for n in METRICS:
        tot = [0.0, 0.0, 0.0, 0.0]
        for d in docs:
            for k, v in enumerate(d.counts[setting][n]):
                tot[k] += v
        out[n] = metric_prf(tuple(tot))
        out[n]["counts"] = tot
        f1s.append(out[n]["f1"])
    out["conll_f1"] = None if any(f is None for f in f1s) else sum(f1s) / 3
    if setting == "gold_mentions":
        out["mentions"] = int(sum(d.counts[setting]["mentions"][0] for d in docs))
    return out


def summarize_clusters(docs: Sequence[ClusterDoc]) -> dict:
    """Both settings overall and per gold language."""
    def block(ds: Sequence[ClusterDoc]) -> dict:
        return {s: _setting(ds, s) for s in ("gold_mentions", "pred_mentions")}

    out = block(docs)
    out["by_lang"] = {lang: block([d for d in docs if d.lang == lang]) for lang in sorted({d.lang for d in docs})}
    return out


def score_clusters(gold: Sequence[Record], pred: Sequence[Record]) -> dict:
    """MUC, B-cubed, CEAF-e (P/R/F1) and their mean F1 on gold mentions and on predicted mentions."""
    pairs = align_documents(gold, pred).pairs
    return summarize_clusters([cluster_document(g, p) for g, p in pairs])


# -- titles -----------------------------------------------------------------------

_WORD = re.compile(r"\w+")


def title_tokens(title: str | None) -> list[str]:
    """Lowercase word tokens of a title; none for a null title."""
    return _WORD.findall(title.lower()) if title else []


@dataclass
class TitleDoc:
    """One document's paired PER entities with their titles and token counts."""

    id: str
    lang: str
    pairs: list[dict] = field(default_factory=list)
    unpaired_gold: int = 0
    unpaired_pred: int = 0


def _per_weight(g: Entity, p: Entity) -> float | None:
    hit = sum(1 for gm in g.mentions if any(gm.overlaps(pm) for pm in p.mentions))
    return hit / len(g.mentions) if hit else None


def title_document(gold: Record, pred: Record) -> TitleDoc:
    """Pair gold and predicted PER entities by mention overlap and compare their titles."""
    gp = [e for e in gold.entities if e.label == "PER"]
    pp = [e for e in pred.entities if e.label == "PER"]
    doc = TitleDoc(id=gold.id, lang=gold.lang)
    pairs = max_matching(gp, pp, _per_weight)
    for gi, pi in pairs:
        g, p = gp[gi], pp[pi]
        gt, pt = title_tokens(g.title), title_tokens(p.title)
        common = sum((Counter(gt) & Counter(pt)).values())
        f1 = 1.0 if not gt and not pt else 2 * common / (len(gt) + len(pt))
        doc.pairs.append({"gold_entity": g.id, "pred_entity": p.id, "gold_title": g.title, "pred_title": p.title,
                          "common": common, "gold_tokens": len(gt), "pred_tokens": len(pt),
                          "f1": f1, "exact": gt == pt})
    doc.unpaired_gold = len(gp) - len(pairs)
    doc.unpaired_pred = len(pp) - len(pairs)
    return doc


def summarize_titles(docs: Sequence[TitleDoc]) -> dict:
    """Token P/R/F1, mean pair F1 and exact-match rate, overall and per gold language."""
    def block(ds: Sequence[TitleDoc]) -> dict:
        pairs = [p for d in ds for p in d.pairs]
        n = len(pairs)
        return {
            "token": prf(sum(p["common"] for p in pairs), sum(p["pred_tokens"] for p in pairs),
                         sum(p["gold_tokens"] for p in pairs)),
            "mean_f1": sum(p["f1"] for p in pairs) / n if n else None,
            "exact": sum(p["exact"] for p in pairs) / n if n else None,
            "pairs": n,
            "both_null": sum(1 for p in pairs if not p["gold_tokens"] and not p["pred_tokens"]),
            "unpaired_gold_per": sum(d.unpaired_gold for d in ds),
            "unpaired_pred_per": sum(d.unpaired_pred for d in ds),
        }

    out = block(docs)
    out["by_lang"] = {lang: block([d for d in docs if d.lang == lang]) for lang in sorted({d.lang for d in docs})}
    return out


def score_titles(gold: Sequence[Record], pred: Sequence[Record]) -> dict:
    """Title scores of predicted PER entities against gold ones (see the module doc)."""
    pairs = align_documents(gold, pred).pairs
    return summarize_titles([title_document(g, p) for g, p in pairs])
