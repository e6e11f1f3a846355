"""Figures beyond report.json that the HTML report shows: per-label and per-type CIs, confusion, run diffs.

Everything is computed from the report dict (its ``documents`` hold each
document's gold and predicted mentions with their status, events and event
and argument pairs), with the scorer's own matching and bootstrap, so the
point values agree with the report's tables.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterator

import numpy as np

from .bootstrap import bootstrap_ci
from .matching import jaccard, max_matching, overlap, overlapping_pairs

__all__ = ["Row", "label_counts", "type_counts", "f1_cis", "confusion", "flat_figures", "error_key",
           "error_diff", "NONE"]

NONE = "(none)"   # the confusion table's row/column for a mention with no partner

#: Report keys whose numeric leaves are rates compared between runs.
_RATE_KEYS = {"precision", "recall", "f1", "accuracy", "macro_f1", "conll_f1", "mean_f1", "exact"}
_SKIP = {"documents", "errors", "meta", "headline", "error_counts", "ci", "confusion", "warnings", "counts"}


@dataclass(frozen=True)
class Row:
    """A mention reduced to what matching needs."""

    start: int
    end: int
    label: str


def _rows(mentions: list[dict]) -> list[Row]:
    return [Row(m["start"], m["end"], m["label"]) for m in mentions]


def _partial(g: Row, p: Row) -> float | None:
    if g.label != p.label or overlap(g.start, g.end, p.start, p.end) == 0:
        return None
    return jaccard(g.start, g.end, p.start, p.end)


def label_counts(doc: dict, labels: list[str]) -> dict[str, dict[str, list[int]]]:
    """One document's ``{mode: {label: [tp, pred, gold]}}`` for strict and partial NER.

    Strict true positives are the gold mentions the scorer marked ``correct``;
    partial ones a maximum matching of same-label overlapping spans, as the scorer counts them.
    """
    g, p = _rows(doc["gold_mentions"]), _rows(doc["pred_mentions"])
    out: dict[str, dict[str, list[int]]] = {"strict": {}, "partial": {}}
    for lab in labels:
        for mode in out:
            out[mode][lab] = [0, sum(r.label == lab for r in p), sum(r.label == lab for r in g)]
    for m in doc["gold_mentions"]:
        if m["status"] == "correct" and m["label"] in out["strict"]:
            out["strict"][m["label"]][0] += 1
    for gi, _ in max_matching(g, p, _partial, overlapping_pairs(g, p)):
        if g[gi].label in out["partial"]:
            out["partial"][g[gi].label][0] += 1
    return out


def _unique_args(event: dict) -> int:
    return len({(a["role"], a["entity"]) for a in event.get("arguments", [])})


def type_counts(doc: dict) -> dict[str, dict[str, list[int]]]:
    """One document's ``{"events"|"arguments": {event type: [tp, pred, gold]}}`` from its events and pairs."""
    out: dict[str, dict[str, list[int]]] = {"events": {}, "arguments": {}}
    gold_type = {e["id"]: e["type"] for e in doc["gold"]["events"]}

    def bump(kind: str, t: str, k: int, n: int = 1) -> None:
        out[kind].setdefault(t, [0, 0, 0])[k] += n

    for e in doc["gold"]["events"]:
        bump("events", e["type"], 2)
        bump("arguments", e["type"], 2, _unique_args(e))
    for e in doc["pred"]["events"]:
        bump("events", e["type"], 1)
        bump("arguments", e["type"], 1, _unique_args(e))
    for pair in doc.get("event_pairs", []):
        bump("events", gold_type.get(pair["gold"], "?"), 0)
    for pair in doc.get("argument_pairs", []):
        bump("arguments", gold_type.get(pair["gold_event"], "?"), 0)
    return out


def _f1_of(tp: int, pr: int, gd: int):
    def fn(s: np.ndarray) -> np.ndarray:
        den = s[:, pr] + s[:, gd]
        return np.where(den > 0, 2 * s[:, tp] / np.where(den > 0, den, 1.0), np.nan)
    return fn


def f1_cis(report: dict) -> dict[str, tuple[float | None, float | None]]:
    """95% bootstrap CIs (documents resampled, the report's seed and resample count) of F1 per
    NER label (``ner.strict.PER``, ``ner.partial.PER``), event type (``events.T``) and argument
    type (``arguments.T``). Empty when the report was made without a bootstrap."""
    meta = report["meta"]
    docs = report["documents"]
    n = int(meta.get("bootstrap") or 0)
    if n <= 0 or not docs:
        return {}
    labels = list(meta.get("labels") or report["ner"]["strict"]["labels"])
    per_doc = [(label_counts(d, labels), type_counts(d)) for d in docs]
    types = sorted({t for _, tc in per_doc for kind in tc.values() for t in kind})
    cols: list[tuple[str, str]] = ([(f"ner.{mode}", lab) for mode in ("strict", "partial") for lab in labels]
                                   + [(kind, t) for kind in ("events", "arguments") for t in types])
    counts = np.zeros((len(docs), 3 * len(cols)))
    for i, (lc, tc) in enumerate(per_doc):
        for c, (group, key) in enumerate(cols):
            src = lc[group.split(".")[1]] if group.startswith("ner.") else tc[group]
            counts[i, 3 * c:3 * c + 3] = src.get(key, [0, 0, 0])
    metrics = {f"{group}.{key}": _f1_of(3 * c, 3 * c + 1, 3 * c + 2) for c, (group, key) in enumerate(cols)}
    return bootstrap_ci(counts, metrics, n=n, seed=int(meta.get("seed") or 0), level=float(meta.get("ci_level", 0.95)))


def confusion(report: dict, lang: str | None = None) -> dict[str, dict[str, int]]:
    """Gold label x predicted label over the scorer's one-to-one pairs of overlapping mentions.

    A correct or wrong-boundary gold mention counts on the diagonal, a
    wrong-label pair off it, a missed gold mention in column ``(none)``, a
    spurious prediction in row ``(none)``; rows add up to the gold mentions,
    columns to the predicted ones. ``lang`` keeps the documents of one gold language.
    """
    labels = list(report["meta"].get("labels") or [])
    table: dict[str, dict[str, int]] = {a: {b: 0 for b in [*labels, NONE]} for a in [*labels, NONE]}

    def add(g: str, p: str) -> None:
        table.setdefault(g, {}).setdefault(p, 0)
        table[g][p] += 1
        for row in table.values():
            row.setdefault(p, 0)

    docs = {d["id"] for d in report["documents"] if lang is None or d["lang"]["gold"] == lang}
    for d in report["documents"]:
        if d["id"] not in docs:
            continue
        for m in d["gold_mentions"]:
            if m["status"] in ("correct", "wrong_boundary"):
                add(m["label"], m["label"])
    for e in report["errors"]:
        if e["task"] != "ner" or e["doc"] not in docs:
            continue
        if e["kind"] in ("wrong_label", "wrong_label_boundary"):
            add(e["gold"]["label"], e["pred"]["label"])
        elif e["kind"] == "missed":
            add(e["gold"]["label"], NONE)
        elif e["kind"] == "spurious":
            add(NONE, e["pred"]["label"])
    return table


def _walk(node: Any, path: tuple[str, ...]) -> Iterator[tuple[str, float | None]]:
    if isinstance(node, dict):
        for k, v in node.items():
            if k in _SKIP:
                continue
            if k in _RATE_KEYS and (v is None or isinstance(v, (int, float))) and not isinstance(v, bool):
                yield ".".join((*path, k)), (None if v is None else float(v))
            elif isinstance(v, dict):
                yield from _walk(v, (*path, k))


def flat_figures(report: dict) -> dict[str, float | None]:
    """Every rate of the report (P, R, F1, accuracy... of every table) by dotted path, in report order."""
    return dict(_walk({k: v for k, v in report.items() if k not in _SKIP}, ()))


def _mention_key(m: dict | None) -> tuple | None:
    return None if m is None else (m["start"], m["end"], m["label"])


def error_key(e: dict) -> tuple:
    """What identifies an error across two runs on the same gold (not the predicted ids)."""
    task, kind = e["task"], e["kind"]
    if task == "ner":
        return task, kind, _mention_key(e.get("gold")), _mention_key(e.get("pred"))
    if task == "events":
        return task, kind, e.get("type"), tuple((t["start"], t["end"]) for t in e.get("triggers", []))
    if task == "arguments":
        ms = e.get("entity", {}).get("mentions", [])
        return task, kind, e.get("event_type"), e.get("role"), tuple((m["start"], m["end"]) for m in ms)
    return task, kind, e.get("start"), e.get("end"), str(e.get("gold")), str(e.get("pred"))


@dataclass
class DocDiff:
    """How one document's errors changed: indexes of new errors (in the current report) and fixed ones (baseline)."""

    doc: str
    lang: str
    before: int
    after: int
    new: list[int]
    fixed: list[int]


def error_diff(report: dict, baseline: dict) -> list[DocDiff]:
    """Documents whose errors changed between ``baseline`` and ``report``, matched by ``error_key``."""
    langs = {d["id"]: d["lang"]["gold"] for d in report["documents"]}
    langs.update({d["id"]: d["lang"]["gold"] for d in baseline["documents"] if d["id"] not in langs})
    cur: dict[str, list[int]] = {}
    old: dict[str, list[int]] = {}
    for i, e in enumerate(report["errors"]):
        cur.setdefault(e["doc"], []).append(i)
    for i, e in enumerate(baseline["errors"]):
        old.setdefault(e["doc"], []).append(i)
    order = [d["id"] for d in report["documents"]] + [d["id"] for d in baseline["documents"] if d["id"] not in langs]
    out = []
    for doc in dict.fromkeys(order):
        left = Counter(error_key(baseline["errors"][i]) for i in old.get(doc, []))
        new = []
        for i in cur.get(doc, []):
            k = error_key(report["errors"][i])
            if left[k] > 0:
                left[k] -= 1
            else:
                new.append(i)
        fixed = []
        for i in old.get(doc, []):
            k = error_key(baseline["errors"][i])
            if left[k] > 0:
                left[k] -= 1
                fixed.append(i)
        if new or fixed:
            out.append(DocDiff(doc, langs.get(doc, "?"), len(old.get(doc, [])), len(cur.get(doc, [])), new, fixed))
    return out
