"""Train the DATE keep/drop model shipped in ``models/dates/model.json``.

    python -m healthcoop_nlp.train.dates [--train DIR] [--out DIR] [--C C] [--folds K] [--seed N]

For every article of an hcnews split (``DIR/gold.jsonl``; default
``shared/hcnews/train`` next to the checkout) the DATE grammar
(``ner.dates.candidates``) proposes its candidate spans; a candidate is a
positive when it overlaps a gold DATE mention (the grammar decides the
boundaries, the model only whether the words are a date here: ``اليوم`` as
"today" or as "nowadays", a bare year as a date or inside a name). One
logistic regression per language over ``ner.dates.candidate_features``; its
threshold is the one that maximises strict DATE F1 of the decoded mentions
under K-fold cross-validation by article on the same split. Writes
``model.json`` (weights as plain JSON, no pickle) and ``metrics.json``
(cross-validated F1 of the model and of the hand rules).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Sequence

import numpy as np

from ..ner.dates import Candidate, candidate_features, candidates, select_flat

__all__ = ["main", "read_split", "build_examples", "fit", "decode_f1"]

DEFAULT_TRAIN = Path(__file__).resolve().parents[3].parent / "shared" / "hcnews" / "train"
DEFAULT_OUT = Path(__file__).resolve().parents[3] / "models" / "dates"
THRESHOLDS = [round(x, 2) for x in np.arange(0.2, 0.81, 0.05)]


def read_split(folder: Path) -> list[dict]:
    """Records of ``folder/gold.jsonl`` with their gold DATE spans under ``"dates"``."""
    path = Path(folder) / "gold.jsonl"
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found; give --train an hcnews split folder holding gold.jsonl")
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        dates = sorted((m["start"], m["end"]) for e in r["entities"] if e["label"] == "DATE" for m in e["mentions"])
        out.append({"id": r["id"], "lang": r["lang"], "text": r["text"], "date": r.get("date"), "dates": dates})
    return out


def build_examples(docs: Sequence[dict]) -> list[list[tuple[Candidate, list[str], int]]]:
    """Per document: (candidate, features, label) for every grammar candidate the rules do not veto."""
    out = []
    for d in docs:
        rows = []
        for c in candidates(d["text"], d["lang"]):
            if c.veto:
                continue
            y = int(any(c.start < e and s < c.end for s, e in d["dates"]))
            rows.append((c, candidate_features(d["text"], d["lang"], c), y))
        out.append(rows)
    return out


def fit(rows: Sequence[tuple[Candidate, list[str], int]], C: float) -> tuple[dict[str, float], float]:
    """Logistic regression over binary features: (weights by feature, bias)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    y = [r[2] for r in rows]
    vec = DictVectorizer()
    X = vec.fit_transform([{f: 1 for f in r[1]} for r in rows])
    if len(set(y)) < 2:
        return {}, (5.0 if y and y[0] else -5.0)
    lr = LogisticRegression(C=C, solver="lbfgs", max_iter=2000)
    lr.fit(X, y)
    w = {f: round(float(v), 5) for f, v in zip(vec.get_feature_names_out(), lr.coef_[0]) if abs(v) > 1e-4}
    return w, round(float(lr.intercept_[0]), 5)


def _prob(w: dict[str, float], b: float, feats: list[str]) -> float:
    z = b + sum(w.get(f, 0.0) for f in feats)
    return 1.0 / (1.0 + np.exp(-max(-30.0, min(30.0, z))))


def _decode(kept: list[Candidate]) -> set[tuple[int, int]]:
    return {(c.start, c.end) for c in select_flat(kept)}


def decode_f1(docs: Sequence[dict], kept: Sequence[list[Candidate]]) -> dict:
    """Strict DATE precision/recall/F1 of the decoded (flat, longest-first) kept candidates."""
    tp = npred = ngold = 0
    for d, k in zip(docs, kept):
        pred, gold = _decode(list(k)), set(d["dates"])
        tp += len(pred & gold)
        npred += len(pred)
        ngold += len(gold)
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "gold": ngold, "pred": npred}


def _cross_validate(docs, examples, C: float, folds: int, seed: int) -> tuple[float, dict, dict]:
    idx = list(range(len(docs)))
    random.Random(seed).shuffle(idx)
    fold_of = {i: k % folds for k, i in enumerate(idx)}
    probs: list[list[float]] = [[] for _ in docs]
    for k in range(folds):
        train_rows = [r for i, ex in enumerate(examples) if fold_of[i] != k for r in ex]
        w, b = fit(train_rows, C)
        for i, ex in enumerate(examples):
            if fold_of[i] == k:
                probs[i] = [_prob(w, b, f) for _, f, _ in ex]
    best = (-1.0, 0.5, {})
    for t in THRESHOLDS:
        kept = [[c for (c, _, _), p in zip(ex, pr) if p >= t] for ex, pr in zip(examples, probs)]
        s = decode_f1(docs, kept)
        if s["f1"] > best[0]:
            best = (s["f1"], t, s)
    rules = decode_f1(docs, [[c for c, _, _ in ex if c.rule_ok] for ex in examples])
    return best[1], best[2], rules


def main(argv: Sequence[str] | None = None) -> int:
    """Train, cross-validate, write the model and its metrics; prints the figures."""
    ap = argparse.ArgumentParser(prog="python -m healthcoop_nlp.train.dates", description=__doc__.split("\n\n")[0])
    ap.add_argument("--train", type=Path, default=DEFAULT_TRAIN, help="hcnews split with gold.jsonl (default: %(default)s)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: %(default)s)")
    ap.add_argument("--C", type=float, default=1.0, help="inverse L2 strength of the logistic regression (default 1.0)")
    ap.add_argument("--folds", type=int, default=5, help="cross-validation folds for the threshold (default 5)")
    ap.add_argument("--seed", type=int, default=13, help="seed of the fold assignment (default 13)")
    args = ap.parse_args(argv)
    t0 = time.time()
    try:
        docs = read_split(args.train)
    except FileNotFoundError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    model: dict = {"weights": {}, "bias": {}, "threshold": {},
                   "about": "DATE keep/drop logistic model over ner.dates.candidate_features; "
                            "built by python -m healthcoop_nlp.train.dates"}
    metrics: dict = {"train": str(args.train), "C": args.C, "folds": args.folds, "seed": args.seed, "by_lang": {}}
    for lang in sorted({d["lang"] for d in docs}):
        ldocs = [d for d in docs if d["lang"] == lang]
        examples = build_examples(ldocs)
        threshold, cv, rules = _cross_validate(ldocs, examples, args.C, args.folds, args.seed)
        w, b = fit([r for ex in examples for r in ex], args.C)
        model["weights"][lang], model["bias"][lang], model["threshold"][lang] = w, b, threshold
        n = sum(len(ex) for ex in examples)
        metrics["by_lang"][lang] = {"documents": len(ldocs), "candidates": n,
                                    "positives": sum(r[2] for ex in examples for r in ex),
                                    "threshold": threshold, "cv_learned": cv, "cv_grammar_rules": rules,
                                    "features": len(w)}
        print(f"{lang}: {len(ldocs)} documents, {n} candidates, threshold {threshold}; strict DATE F1 "
              f"({args.folds}-fold CV on the split): learned {cv['f1']:.3f} (P {cv['precision']:.3f} "
              f"R {cv['recall']:.3f}), grammar rules {rules['f1']:.3f}")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "model.json").write_text(json.dumps(model, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    metrics["seconds"] = round(time.time() - t0, 1)
    (args.out / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out / 'model.json'} and metrics.json in {metrics['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
