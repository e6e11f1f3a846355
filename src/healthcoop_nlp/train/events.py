"""Trains the learned event steps on hcnews/train and chooses their thresholds on hcnews/dev.

    python -m healthcoop_nlp.train.events                      # writes models/events/events.json
    python -m healthcoop_nlp.train.events --no-dev             # default thresholds, no calibration table

What is learned from ``train/gold.jsonl`` (gold entities, gold events):

* the candidate list: every word of a training trigger (French: also its
  6-letter prefix when two triggers share it; Arabic: its clitic-stripped
  readings);
* one logistic regression per event type over the candidates' features
  (``events/features.py: trigger_features``): keep or drop, and which type;
* a logistic regression over pairs of trigger mentions of one type: one event or two;
* a logistic regression keeping or dropping a merged event, trained on events
  built with out-of-fold trigger probabilities (5 folds), and that model's own
  out-of-fold F1 at each event threshold;
* a logistic regression over (event, entity, role) triples, with and without
  the French dependency features.

Dev (``dev/gold.jsonl``, gold entities) is read only to choose the thresholds
(the event threshold on train's out-of-fold events and dev's pooled, the
argument threshold on dev) and to write the precision/recall table in the
model (``calibration``). Weights are written as JSON (feature -> weight).
"""

from __future__ import annotations

import argparse
import copy
import json
import time
from collections import Counter
from pathlib import Path

from ..events.arguments import ROLES
from ..events.context import DocContext, build_context
from ..events.factuality import load_cues
from ..events.features import ROLE_LABELS, DocView, Mention, argument_features, candidate_keys, find_candidates, \
    mention_at, pair_features, role_features, trigger_features
from ..events.learned import TYPE_RATIO, entity_mentions, keep_types, sentence_dates
from ..events.linear import EventModels, LinearModel
from ..events.triggers import load_lexicon
from ..record import EVENT_TYPES, Record

ROOT = Path(__file__).resolve().parents[3]
HCNEWS = ROOT.parent / "shared" / "hcnews"
OUT = ROOT / "models" / "events" / "events.json"
TRIGGER_FLOOR = 0.1  # mentions scored below it never reach merging
CAL_GRID = [round(0.05 * k, 2) for k in range(2, 19)]  # event and argument thresholds tried
EVENT_TIE = 0.005  # pooled event F1 within this of the best counts as a tie (the higher threshold wins)
MERGE_THRESHOLD = 0.6  # average pair probability for a mention to join an event (dev: 0.5 / 0.6 / 0.65 printed)


def read_gold(path: Path) -> list[Record]:
    """Gold records of a ``gold.jsonl``."""
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: pass --train/--dev with the hcnews split's gold.jsonl")
    return [Record.from_json(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def _view(rec: Record) -> DocView:
    ctx = build_context(rec)
    return DocView(ctx, load_lexicon(rec.lang), load_cues(rec.lang))


def _tok(ctx: DocContext, start: int) -> int:
    return ctx.token_at(start)


def learn_known(docs: list[tuple[Record, DocView]]) -> list[str]:
    """The candidate list: keys of the training triggers' first words (French prefixes shared by two or more)."""
    counts: Counter[str] = Counter()
    for rec, view in docs:
        for ev in rec.events:
            for t in ev.triggers:
                i = _tok(view.ctx, t.start)
                for k in candidate_keys(view.ctx, i, view.lex):
                    counts[k] += 1
    return sorted(k for k, n in counts.items() if n >= (2 if k[:2] in ("s:", "k:") else 1))


def _fit(rows: list[list[str]], y: list[int], c: float, balanced: bool = False) -> LinearModel:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    x = vec.fit_transform([{f: 1 for f in r} for r in rows]).tocsr()
    x.indices = x.indices.astype("int32")
    x.indptr = x.indptr.astype("int32")
    if len(set(y)) < 2:
        return LinearModel(bias=-10.0 if not any(y) else 10.0, weights={})
    lr = LogisticRegression(C=c, max_iter=3000, solver="liblinear", class_weight="balanced" if balanced else None)
    lr.fit(x, y)
    names = vec.get_feature_names_out()
    w = {str(n): round(float(v), 5) for n, v in zip(names, lr.coef_[0]) if abs(v) >= 1e-4}
    return LinearModel(bias=round(float(lr.intercept_[0]), 5), weights=w)


def _candidate_labels(rec: Record, view: DocView, known) -> list[tuple[Mention, set[str]]]:
    gold = [(t.start, t.end, ev.type) for ev in rec.events for t in ev.triggers]
    out = []
    for m in find_candidates(view, known):
        tok = view.ctx.tokens[m.tok]
        out.append((m, {ty for s, e, ty in gold if s < tok.end and tok.start < e}))
    return out


def learn_prior(docs, known) -> tuple[dict[str, list[int]], list[dict[str, list[int]]]]:
    """Per key: candidates seen and triggers of each type, over all training documents and per document."""
    total: dict[str, list[int]] = {}
    per_doc = []
    for rec, view in docs:
        mine: dict[str, list[int]] = {}
        for m, types in _candidate_labels(rec, view, known):
            for k in set(m.keys):
                c = mine.setdefault(k, [0] * (1 + len(EVENT_TYPES)))
                c[0] += 1
                for j, t in enumerate(EVENT_TYPES):
                    c[1 + j] += int(t in types)
        per_doc.append(mine)
        for k, c in mine.items():
            tc = total.setdefault(k, [0] * (1 + len(EVENT_TYPES)))
            for j, v in enumerate(c):
                tc[j] += v
    return total, per_doc


def trigger_data(docs, known, prior, per_doc) -> tuple[list[list[str]], dict[str, list[int]]]:
    rows: list[list[str]] = []
    ys: dict[str, list[int]] = {t: [] for t in EVENT_TYPES}
    for (rec, view), mine in zip(docs, per_doc):
        for m, types in _candidate_labels(rec, view, known):
            rows.append(trigger_features(view, m, known, prior, EVENT_TYPES, exclude=mine))
            for t in EVENT_TYPES:
                ys[t].append(int(t in types))
    return rows, ys


def oof_events(docs, merge: LinearModel, c_trig: float, balanced: bool, folds: int = 5,
               type_ratio: float = TYPE_RATIO):
    """Events built on the training documents with out-of-fold trigger probabilities (each fold's trigger
    classifiers, candidate list and priors learned on the other folds), as (doc index, type, cluster)."""
    from ..events.learned import merge_events

    out = []
    for f in range(folds):
        held = [k for k in range(len(docs)) if k % folds == f]
        rest = [docs[k] for k in range(len(docs)) if k % folds != f]
        known = frozenset(learn_known(rest))
        prior, per_doc = learn_prior(rest, known)
        rows, ys = trigger_data(rest, known, prior, per_doc)
        trig = {t: _fit(rows, ys[t], c_trig, balanced) for t in EVENT_TYPES}
        tmp = EventModels(known=known, trigger=trig, merge=merge, args={}, thresholds={}, calibration={},
                          prior=prior, types=tuple(EVENT_TYPES))
        for k in held:
            _, view = docs[k]
            kept = []
            for m in find_candidates(view, known):
                feats = trigger_features(view, m, known, prior, tuple(EVENT_TYPES))
                m.probs = {t: model.score(feats) for t, model in trig.items()}
                kept += [(m, t, p) for t, p in keep_types(m.probs, TRIGGER_FLOOR, type_ratio)]
            for t, cluster in merge_events(view, tmp, kept, MERGE_THRESHOLD):
                out.append((k, t, cluster))
        print(f"  fold {f + 1}/{folds}: {len(held)} documents")
    return out


def event_data(docs, events, merge: LinearModel, matches: list | None = None) -> tuple[list[list[str]], list[int]]:
    """Features and labels of the out-of-fold events: 1 when it matches a gold event (the scorer's rule:
    same type, a trigger overlapping, one-to-one in text order). ``matches`` receives
    (doc index, type, cluster, gold event index or None) for each."""
    from ..events.learned import cluster_event_features

    rows, y = [], []
    by_doc: dict[int, list] = {}
    for k, t, c in events:
        by_doc.setdefault(k, []).append((t, c))
    for k, evs in by_doc.items():
        rec, view = docs[k]
        used: set[int] = set()
        for t, c in evs:
            same = [x[1] for x in evs if x[0] == t]
            rows.append(cluster_event_features(view, merge, t, c, same))
            spans = [(view.ctx.tokens[m.tok].start, view.ctx.tokens[m.tok].end) for m, _ in c]
            hit = next((j for j, g in enumerate(rec.events) if j not in used and g.type == t and any(
                s < x.end and x.start < e for s, e in spans for x in g.triggers)), None)
            if hit is not None:
                used.add(hit)
            y.append(int(hit is not None))
            if matches is not None:
                matches.append((k, t, c, hit))
    return rows, y


def oof_event_counts(rows: list[list[str]], y: list[int], matches: list, n_gold: int, c: float,
                     grid: list[float], folds: int = 5) -> dict[float, tuple[int, int, int]]:
    """(true, predicted, gold) event counts on train at each event threshold of ``grid``, with the event
    model's **out-of-fold** probabilities (each fold's event model learned on the other folds' events)."""
    ps = [0.0] * len(rows)
    for f in range(folds):
        idx = [i for i in range(len(rows)) if matches[i][0] % folds != f]
        m = _fit([rows[i] for i in idx], [y[i] for i in idx], c)
        for i in range(len(rows)):
            if matches[i][0] % folds == f:
                ps[i] = m.score(rows[i])
    return {th: (sum(1 for p, t in zip(ps, y) if p >= th and t), sum(1 for p in ps if p >= th), n_gold)
            for th in grid}


def predicted_arg_data(docs, matches, deps) -> tuple[list[list[str]], list[int]]:
    """Argument rows of the out-of-fold events: the gold arguments of the gold event each matches, none for
    an event that matches no gold event (its arguments would all be counted wrong)."""
    rows, y = [], []
    by_doc: dict[int, list] = {}
    for k, t, c, hit in matches:
        by_doc.setdefault(k, []).append((t, c, hit))
    for k, evs in by_doc.items():
        rec, view = docs[k]
        ents = entity_mentions(view.ctx)
        sdates = sentence_dates(view.ctx)
        labels = {e.id: e.label for e in rec.entities}
        for j, (t, c, hit) in enumerate(evs):
            trigs = [m for m, _ in c]
            others = [m for jj, (_, cc, _) in enumerate(evs) if jj != j for m, _ in cc]
            gold = {(a.role, a.entity) for a in rec.events[hit].arguments} if hit is not None else set()
            for eid, ems in ents.items():
                roles = [r for r in ROLES[t] if labels[eid] in ROLE_LABELS[r]]
                if not roles:
                    continue
                feats = argument_features(view, t, trigs, ems, others, deps[k], sdates)
                for r in roles:
                    rows.append(role_features(t, r, feats))
                    y.append(int((r, eid) in gold))
    return rows, y


def _gold_mentions(rec: Record, view: DocView) -> list[tuple[Mention, str, int]]:
    """(mention, type, event index) for every gold trigger."""
    out = []
    for k, ev in enumerate(rec.events):
        for t in ev.triggers:
            out.append((mention_at(view, _tok(view.ctx, t.start)), ev.type, k))
    return out


def merge_data(docs) -> tuple[list[list[str]], list[int]]:
    rows, y = [], []
    for rec, view in docs:
        gm = _gold_mentions(rec, view)
        for etype in EVENT_TYPES:
            ms = sorted([(m, k) for m, t, k in gm if t == etype], key=lambda x: x[0].tok)
            for j, (b, kb) in enumerate(ms):
                for i in range(j):
                    a, ka = ms[i]
                    if a.tok == b.tok:
                        continue
                    rows.append(pair_features(view, a, b, etype, j - i - 1))
                    y.append(int(ka == kb))
    return rows, y


def arg_data(docs, deps) -> tuple[list[list[str]], list[int]]:
    """Features and labels of every (gold event, entity, role) triple of the training documents."""
    rows = _gold_arg_groups(docs, deps)
    return [r[4] for r in rows], [r[5] for r in rows]


def _gold_arg_groups(docs, dep_list) -> list[tuple[int, int, str, str, list[str], int]]:
    """(doc, event, entity, role, features, label) for every gold event's candidate arguments."""
    out = []
    for di, ((rec, view), dep) in enumerate(zip(docs, dep_list)):
        gm = _gold_mentions(rec, view)
        ents = entity_mentions(view.ctx)
        sdates = sentence_dates(view.ctx)
        labels = {e.id: e.label for e in rec.entities}
        for k, ev in enumerate(rec.events):
            trigs = [m for m, _, kk in gm if kk == k]
            others = [m for m, _, kk in gm if kk != k]
            gold = {(a.role, a.entity) for a in ev.arguments}
            for eid, ems in ents.items():
                roles = [r for r in ROLES[ev.type] if labels[eid] in ROLE_LABELS[r]]
                if not roles:
                    continue
                feats = argument_features(view, ev.type, trigs, ems, others, dep, sdates)
                for r in roles:
                    out.append((di, k, eid, r, role_features(ev.type, r, feats), int((r, eid) in gold)))
    return out


def _deps(docs):
    from ..events.parse import FrenchParser

    parser = FrenchParser()
    out = []
    for rec, view in docs:
        if rec.lang != "fr":
            out.append(None)
            continue
        # every sentence: gold and out-of-fold events alike
        every = [mention_at(view, view.ctx.sent_bounds(k)[0]).as_trigger() for k in range(len(view.ctx.sents))]
        out.append(parser.view(rec, view.ctx, every))
    return out


def _f1(tp: int, pred: int, gold: int) -> float:
    return 2 * tp / (pred + gold) if pred + gold else 0.0


def choose_event_threshold(rows: list[dict], key: str = "pooled_f1", tie: float = EVENT_TIE) -> float:
    """The highest threshold whose ``key`` F1 is within ``tie`` of the best row's. The optimum is flat, and
    predicted entities bring false candidates that a higher threshold drops (dev, predicted entities: event
    F1 0.75 at 0.35, 0.78 at 0.45, where the pooled F1 differs by 0.005)."""
    top = max((x[key] or 0.0) for x in rows)
    return max(x["threshold"] for x in rows if (x[key] or 0.0) >= top - tie)


def calibrate(models: EventModels, dev: list[Record], train_counts: dict | None = None) -> dict:
    """Event and argument precision/recall on dev (gold entities) at several thresholds, and the best ones.
    With ``train_counts`` (``oof_event_counts``), the event threshold is the best F1 of train's out-of-fold
    events and dev's events pooled (747 + 103 events: a choice that holds beyond dev's few events)."""
    from ..events.learned import extract_learned
    from ..scoring import score_events

    table = {"events": [], "arguments": []}
    grid = CAL_GRID
    stripped = []
    for g in dev:
        r = copy.deepcopy(g)
        r.events = []
        stripped.append(r)

    def predicted(m: EventModels, event_th: float, arg_th: float) -> list[Record]:
        """Copies of the dev records (gold entities, no events) with the events ``m`` extracts."""
        preds = []
        for r in stripped:
            p = copy.deepcopy(r)
            p.events = extract_learned(p, m, event_th, arg_th)
            preds.append(p)
        return preds

    for th in grid:
        e = score_events(dev, predicted(models, th, 0.5))["events"]["overall"]
        row = {"threshold": th, "precision": e["precision"], "recall": e["recall"], "f1": e["f1"]}
        if train_counts is not None:
            tp, pr, gd = train_counts[th]
            row["train_oof_f1"] = round(_f1(tp, pr, gd), 4)
            row["pooled_f1"] = round(_f1(tp + e["tp"], pr + e["pred"], gd + e["gold"]), 4)
        table["events"].append(row)
    best_e = choose_event_threshold(table["events"], "pooled_f1" if train_counts is not None else "f1")
    for th in grid:
        a = score_events(dev, predicted(models, best_e, th))["arguments"]["overall"]
        table["arguments"].append({"threshold": th, "precision": a["precision"], "recall": a["recall"],
                                   "f1": a["f1"]})
    best_a = max(table["arguments"], key=lambda x: (x["f1"] or 0))["threshold"]
    table["merge"] = []
    for mt in (0.5, 0.6, 0.65, 0.7):
        m2 = copy.copy(models)
        m2.thresholds = {**models.thresholds, "merge": mt}
        e = score_events(dev, predicted(m2, best_e, best_a))["events"]["overall"]
        table["merge"].append({"threshold": mt, "precision": e["precision"], "recall": e["recall"], "f1": e["f1"]})
    return {"event": best_e, "argument": best_a, "table": table}


def train(train_path: Path, dev_path: Path | None, c_trig: float = 0.5, c_merge: float = 0.5,
          c_arg: float = 0.5, parse: bool = True, balanced: bool = False) -> dict:
    """All the models as one JSON-ready dict (thresholds and calibration from dev when ``dev_path`` is given)."""
    t0 = time.time()
    recs = read_gold(train_path)
    docs = [(r, _view(r)) for r in recs]
    known = learn_known(docs)
    print(f"{len(recs)} training articles, {sum(len(r.events) for r in recs)} events, "
          f"{len(known)} candidate keys ({time.time() - t0:.0f}s)")
    prior, per_doc = learn_prior(docs, frozenset(known))
    rows, ys = trigger_data(docs, frozenset(known), prior, per_doc)
    trig = {t: _fit(rows, ys[t], c_trig, balanced) for t in EVENT_TYPES}
    print(f"trigger classifiers: {len(rows)} candidates ({time.time() - t0:.0f}s)")
    mrows, my = merge_data(docs)
    merge = _fit(mrows, my, c_merge)
    print(f"merge: {len(mrows)} pairs, {sum(my)} same event ({time.time() - t0:.0f}s)")
    matches: list = []
    ev_rows, ev_y = event_data(docs, oof_events(docs, merge, c_trig, balanced), merge, matches)
    event = _fit(ev_rows, ev_y, c_merge)
    train_counts = oof_event_counts(ev_rows, ev_y, matches, sum(len(r.events) for r in recs), c_merge, CAL_GRID)
    print(f"events: {len(ev_rows)} out-of-fold events, {sum(ev_y)} match a gold event ({time.time() - t0:.0f}s)")
    arows, ay = arg_data(docs, [None] * len(docs))
    r2, y2 = predicted_arg_data(docs, matches, [None] * len(docs))
    arows, ay = arows + r2, ay + y2
    args = {"noparse": _fit(arows, ay, c_arg)}
    print(f"arguments: {len(arows)} triples, {sum(ay)} gold ({time.time() - t0:.0f}s)")
    if parse:
        deps = _deps(docs)
        prows, py = arg_data(docs, deps)
        r2, y2 = predicted_arg_data(docs, matches, deps)
        prows, py = prows + r2, py + y2
        args["parse"] = _fit(prows, py, c_arg)
        print(f"arguments with the French parse ({time.time() - t0:.0f}s)")
    models = EventModels(known=frozenset(known), trigger=trig, merge=merge, args=args,
                         thresholds={"trigger": TRIGGER_FLOOR, "merge": MERGE_THRESHOLD, "type_ratio": TYPE_RATIO,
                                     "event": 0.5, "argument": 0.5},
                         calibration={}, prior=prior, types=tuple(EVENT_TYPES), event=event)
    out = {"version": 1, "known": known, "trigger": {t: m.to_dict() for t, m in trig.items()},
           "merge": merge.to_dict(), "event": event.to_dict(), "args": {k: m.to_dict() for k, m in args.items()},
           "thresholds": models.thresholds, "calibration": {},
           "prior": prior, "types": list(EVENT_TYPES),
           "trained_on": {"articles": len(recs), "events": sum(len(r.events) for r in recs),
                          "C": {"trigger": c_trig, "merge": c_merge, "argument": c_arg},
                          "balanced_triggers": balanced}}
    if dev_path is not None:
        cal = calibrate(models, read_gold(dev_path), train_counts)
        out["thresholds"].update({"event": cal["event"], "argument": cal["argument"]})
        out["calibration"] = cal["table"]
        print(f"dev thresholds: event {cal['event']}, argument {cal['argument']} ({time.time() - t0:.0f}s)")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", type=Path, default=HCNEWS / "train" / "gold.jsonl")
    ap.add_argument("--dev", type=Path, default=HCNEWS / "dev" / "gold.jsonl")
    ap.add_argument("--no-dev", action="store_true", help="keep default thresholds, no calibration table")
    ap.add_argument("--no-parse", action="store_true", help="skip the argument model with French parse features")
    ap.add_argument("--c-trigger", type=float, default=0.5)
    ap.add_argument("--c-merge", type=float, default=0.5)
    ap.add_argument("--c-arg", type=float, default=0.5)
    ap.add_argument("--balanced", action="store_true", help="class-balanced trigger classifiers")
    ap.add_argument("--out", type=Path, default=OUT)
    a = ap.parse_args(argv)
    out = train(a.train, None if a.no_dev else a.dev, a.c_trigger, a.c_merge, a.c_arg, not a.no_parse, a.balanced)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {a.out} ({a.out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
