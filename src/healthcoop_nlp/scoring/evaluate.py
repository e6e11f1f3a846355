"""The full evaluation report: language ID, NER, events, clusters, titles, CIs, documents, errors."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ..record import Record
from . import clusters as clusters_mod
from . import events as events_mod
from . import ner as ner_mod
from .align import align_documents
from .bootstrap import bootstrap_ci
from .clusters import cluster_document, summarize_clusters, summarize_titles, title_document
from .date_values import GoldValue, score_date_values
from .events import event_document, summarize_events
from .matching import context
from .metrics import accuracy, prf
from .ner import labels_of, ner_document, summarize_ner

__all__ = ["evaluate", "offset_warnings", "REPORT_VERSION", "HEADLINE"]

REPORT_VERSION = 1

# Per-document count columns that the bootstrap resamples.
_COLS = ["lang_correct", "docs", "ner_strict_tp", "ner_strict_pred", "ner_strict_gold",
         "ner_partial_tp", "ner_partial_pred", "ner_partial_gold",
         "events_tp", "events_pred", "events_gold", "args_tp", "args_pred", "args_gold"]
_C = {c: i for i, c in enumerate(_COLS)}
_TASK_ORDER = {"langid": 0, "ner": 1, "titles": 2, "events": 3, "arguments": 4}


def _ratio(num: np.ndarray, den: np.ndarray, other: np.ndarray) -> np.ndarray:
    """num/den as ``metrics.prf`` defines it: 0 when den is 0 but ``other`` is not, NaN when both are 0."""
    safe = np.where(den > 0, den, 1.0)
    return np.where(den > 0, num / safe, np.where(other > 0, 0.0, np.nan))


def _f1(prefix: str):
    tp, p, g = _C[prefix + "_tp"], _C[prefix + "_pred"], _C[prefix + "_gold"]
    return lambda s: _ratio(2 * s[:, tp], s[:, p] + s[:, g], s[:, p] + s[:, g])


def _p(prefix: str):
    tp, p, g = _C[prefix + "_tp"], _C[prefix + "_pred"], _C[prefix + "_gold"]
    return lambda s: _ratio(s[:, tp], s[:, p], s[:, g])


def _r(prefix: str):
    tp, p, g = _C[prefix + "_tp"], _C[prefix + "_pred"], _C[prefix + "_gold"]
    return lambda s: _ratio(s[:, tp], s[:, g], s[:, p])


#: The figures that get a bootstrap CI: name -> (place in the report, metric over summed counts).
HEADLINE = {
    "langid.accuracy": (("langid", None, "accuracy"), lambda s: _ratio(s[:, _C["lang_correct"]], s[:, _C["docs"]], s[:, _C["docs"]])),
    "ner.strict.micro.precision": (("ner", "strict", "micro", "precision"), _p("ner_strict")),
    "ner.strict.micro.recall": (("ner", "strict", "micro", "recall"), _r("ner_strict")),
    "ner.strict.micro.f1": (("ner", "strict", "micro", "f1"), _f1("ner_strict")),
    "ner.partial.micro.precision": (("ner", "partial", "micro", "precision"), _p("ner_partial")),
    "ner.partial.micro.recall": (("ner", "partial", "micro", "recall"), _r("ner_partial")),
    "ner.partial.micro.f1": (("ner", "partial", "micro", "f1"), _f1("ner_partial")),
    "events.f1": (("events", "events", "overall", "f1"), _f1("events")),
    "arguments.f1": (("events", "arguments", "overall", "f1"), _f1("args")),
}


def _doc_counts(lang_ok: bool, nd, ed) -> list[float]:
    s = [sum(c[k] for c in nd.strict.values()) for k in range(3)]
    p = [sum(c[k] for c in nd.partial.values()) for k in range(3)]
    e = [sum(c[k] for c in ed.events.values()) for k in range(3)]
    a = [sum(c[k] for c in ed.arguments.values()) for k in range(3)]
    return [float(lang_ok), 1.0, *s, *p, *e, *a]


def _langid(pairs: Sequence[tuple[Record, Record]]) -> dict:
    out = accuracy(sum(g.lang == p.lang for g, p in pairs), len(pairs))
    confusion: dict[str, dict[str, int]] = {}
    for g, p in pairs:
        row = confusion.setdefault(g.lang, {})
        row[p.lang] = row.get(p.lang, 0) + 1
    out["confusion"] = confusion
    out["by_lang"] = {lang: accuracy(sum(g.lang == p.lang for g, p in pairs if g.lang == lang),
                                     sum(1 for g, _ in pairs if g.lang == lang)) for lang in sorted(confusion)}
    out["dialect"] = accuracy(sum(g.dialect == p.dialect for g, p in pairs), len(pairs))
    return out


def _put_ci(report: dict, path: tuple, ci: tuple) -> None:
    node = report
    for key in path[:-2]:
        node = node[key]
    if path[-2] is not None:
        node = node[path[-2]]
    node.setdefault("ci", {})[path[-1]] = list(ci)


def _get(report: dict, path: tuple):
    node = report
    for key in path:
        if key is not None:
            node = node[key]
    return node


def offset_warnings(record: Record, side: str, limit: int = 20) -> list[str]:
    """Mentions and triggers whose offsets fall outside the text or whose text is not ``text[start:end]``."""
    out = []
    items = [(f"mention of entity {e.id!r}", m) for e in record.entities for m in e.mentions]
    items += [(f"trigger of event {ev.id!r}", t) for ev in record.events for t in ev.triggers]
    for what, sp in items:
        if sp.end < sp.start:
            out.append(f"{side} document {record.id!r}: {what} has reversed offsets {sp.start}-{sp.end} "
                       "(end before start)")
        elif sp.end == sp.start:
            out.append(f"{side} document {record.id!r}: {what} is empty ({sp.start}-{sp.end})")
        elif not (0 <= sp.start < sp.end <= len(record.text)):
            out.append(f"{side} document {record.id!r}: {what} has offsets {sp.start}-{sp.end} outside the text "
                       f"(length {len(record.text)})")
        elif record.text[sp.start:sp.end] != sp.text:
            out.append(f"{side} document {record.id!r}: {what} at {sp.start}-{sp.end} says {sp.text!r} but the "
                       f"text there is {record.text[sp.start:sp.end]!r}; offsets must index the raw text")
        if len(out) >= limit:
            break
    return out


def _mentions_view(rows, status) -> list[dict]:
    return [{**r.to_dict(), "status": s} for r, s in zip(rows, status)]


def evaluate(gold: list[Record], pred: list[Record], bootstrap: int = 1000, seed: int = 0,
             allow_missing: bool = False, labels: Sequence[str] | None = None, window: int = 60,
             gold_name: str = "gold", pred_name: str = "pred",
             date_values: Sequence[GoldValue] | None = None) -> dict:
    """Score predicted records against gold records (paired by id); the report as a JSON-ready dict.

    Keys: ``meta``, ``headline`` (figures with their 95% bootstrap CI over
    documents), ``langid``, ``ner``, ``events``, ``clusters``, ``titles``,
    ``documents`` (text, gold and predicted mentions with a status, events,
    per-document figures) and ``errors`` (NER, events, arguments, titles, each
    with doc id, language, offsets and context); with ``date_values`` (gold
    values read by ``date_values.read_date_values``) also ``date_values``: DATE
    value accuracy overall and per language. Raises AlignmentError when the
    ids or texts of gold and prediction do not agree (see ``align_documents``).
    """
    alignment = align_documents(gold, pred, allow_missing=allow_missing, gold_name=gold_name, pred_name=pred_name)
    pairs = alignment.pairs
    labels = list(labels) if labels is not None else labels_of(gold, pred)
    nds = [ner_document(g, p, labels, window) for g, p in pairs]
    eds = [event_document(g, p, window) for g, p in pairs]
    cds = [cluster_document(g, p) for g, p in pairs]
    tds = [title_document(g, p) for g, p in pairs]

    report: dict = {
        "meta": {
            "report_version": REPORT_VERSION, "gold": gold_name, "pred": pred_name,
            "documents": len(pairs), "gold_documents": len(gold), "pred_documents": len(pred),
            "missing_predictions": alignment.missing, "allow_missing": allow_missing,
            "languages": {lang: sum(1 for g, _ in pairs if g.lang == lang)
                          for lang in sorted({g.lang for g, _ in pairs})},
            "labels": labels, "bootstrap": bootstrap, "seed": seed, "ci_level": 0.95, "context_window": window,
            "warnings": [w for g, p in pairs for w in offset_warnings(g, "gold") + offset_warnings(p, "pred")],
            "conventions": {"ner": ner_mod.__doc__, "events": events_mod.__doc__, "clusters": clusters_mod.__doc__},
        },
        "langid": _langid(pairs),
        "ner": summarize_ner(nds, labels),
        "events": summarize_events(eds),
        "clusters": summarize_clusters(cds),
        "titles": summarize_titles(tds),
    }

    report["meta"]["warnings"] += report["events"]["warnings"]
    if date_values is not None:
        dv = score_date_values(date_values, pairs)
        report["meta"]["warnings"] += dv.pop("warnings")
        report["date_values"] = dv
    counts = np.array([_doc_counts(g.lang == p.lang, nd, ed) for (g, p), nd, ed in zip(pairs, nds, eds)],
                      dtype=float).reshape(len(pairs), len(_COLS))
    metrics = {name: fn for name, (_, fn) in HEADLINE.items()}
    cis = bootstrap_ci(counts, metrics, n=bootstrap, seed=seed)
    report["headline"] = {}
    for name, (path, _) in HEADLINE.items():
        _put_ci(report, path, cis[name])
        report["headline"][name] = {"value": _get(report, path), "low": cis[name][0], "high": cis[name][1]}
    lang_of = np.array([g.lang for g, _ in pairs])
    per_lang_metrics = {k: metrics[k] for k in ("ner.strict.micro.f1", "ner.partial.micro.f1", "events.f1",
                                                "arguments.f1", "langid.accuracy")}
    for lang in report["meta"]["languages"]:
        sub = bootstrap_ci(counts[lang_of == lang], per_lang_metrics, n=bootstrap, seed=seed)
        for name, ci in sub.items():
            if name.startswith("ner."):
                _, mode, _, m = name.split(".")
                report["ner"]["by_lang"][lang][mode]["micro"].setdefault("ci", {})[m] = list(ci)
            elif name == "langid.accuracy":
                report["langid"]["by_lang"][lang]["ci"] = {"accuracy": list(ci)}
            else:
                key = "events" if name == "events.f1" else "arguments"
                report["events"]["by_lang"][lang][key]["overall"].setdefault("ci", {})["f1"] = list(ci)

    documents = []
    errors: list[dict] = []
    missing = set(alignment.missing)
    for (g, p), nd, ed, cd, td in zip(pairs, nds, eds, cds, tds):
        s = [sum(c[k] for c in nd.strict.values()) for k in range(3)]
        pa = [sum(c[k] for c in nd.partial.values()) for k in range(3)]
        ev = [sum(c[k] for c in ed.events.values()) for k in range(3)]
        ar = [sum(c[k] for c in ed.arguments.values()) for k in range(3)]
        documents.append({
            "id": g.id, "source": g.source, "date": g.date, "text": g.text,
            "lang": {"gold": g.lang, "pred": p.lang}, "dialect": {"gold": g.dialect, "pred": p.dialect},
            "missing_prediction": g.id in missing,
            "gold_mentions": _mentions_view(nd.gold, nd.gold_status),
            "pred_mentions": _mentions_view(nd.pred, nd.pred_status),
            "gold": {"entities": [e.to_dict() for e in g.entities], "events": [e.to_dict() for e in g.events]},
            "pred": {"entities": [e.to_dict() for e in p.entities], "events": [e.to_dict() for e in p.events]},
            "event_pairs": [{"gold": a, "pred": b} for a, b in ed.pairs],
            "argument_pairs": ed.arg_pairs,
            "title_pairs": td.pairs,
            "scores": {"lang_correct": g.lang == p.lang, "ner_strict": prf(*s), "ner_partial": prf(*pa),
                       "events": prf(*ev), "arguments": prf(*ar),
                       "clusters": {st: {m: clusters_mod.metric_prf(cd.counts[st][m]) for m in clusters_mod.METRICS}
                                    for st in ("gold_mentions", "pred_mentions")}},
        })
        doc_errors = nd.errors + ed.errors
        if g.lang != p.lang:
            doc_errors.append({"task": "langid", "kind": "wrong_lang", "doc": g.id, "lang": g.lang, "start": None,
                           "end": None, "gold": g.lang, "pred": p.lang, "context": None})
        for tp in td.pairs:
            if not tp["exact"]:
                ent = next(e for e in g.entities if e.id == tp["gold_entity"])
                m = min(ent.mentions, key=lambda x: x.start)
                doc_errors.append({"task": "titles", "kind": "wrong_title", "doc": g.id, "lang": g.lang,
                               "start": m.start, "end": m.end, "gold": tp["gold_title"], "pred": tp["pred_title"],
                               "gold_entity": tp["gold_entity"], "pred_entity": tp["pred_entity"],
                               "f1": tp["f1"], "context": context(g.text, m.start, m.end, window)})
        doc_errors.sort(key=lambda e: (-1 if e["start"] is None else e["start"], _TASK_ORDER.get(e["task"], 9)))
        errors.extend(doc_errors)
    report["documents"] = documents
    report["errors"] = errors
    report["error_counts"] = _error_counts(errors)
    return report


def _error_counts(errors: Sequence[dict]) -> dict[str, int]:
    out: dict[str, int] = {}
    for e in errors:
        k = f"{e['task']}.{e['kind']}"
        out[k] = out.get(k, 0) + 1
    return dict(sorted(out.items()))
