"""Train the Darija-vs-MSA classifier shipped in ``models/darija/``.

    python -m healthcoop_nlp.train.darija [--corpora DIR] [--out DIR] [--seed N]

Data (read from the shared corpora, never copied into the repository):
Darija = DODa ``sentences.csv`` column ``darija_ar`` (MIT); MSA = ANERcorp
``train.txt`` sentences (CC BY-SA 4.0), lingua's ``sentences/ar.txt``
(Apache-2.0) and WikiANN ``ar/train`` (Wikipedia fragments, many transliterated
foreign names, which DODa's phonetic spelling otherwise resembles). Each source is deduplicated and split 80/20 with a fixed seed;
the held-out 20 % is scored per source. Two MSA sources that the model never
sees are scored too (ANERcorp ``test.txt``, WikiANN ``ar/test``), and a second
model trained without lingua is scored on all of lingua's Arabic sentences
(a cross-source check). Prints the figures and writes them to
``models/darija/metrics.json``.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from pathlib import Path
from typing import Sequence

import numpy as np

from ..langid.darija import DarijaModel, arabic_letters_only, make_analyzer

__all__ = ["main", "load_sources", "train"]

DEFAULT_CORPORA = Path("/work/shared/corpora")
OPTIONS = {"analyzer": "char_wb", "ngram_range": [1, 4], "sublinear_tf": True, "min_df": 2, "C": 4.0}


def _conll_sentences(path: Path, sep: str | None = None, strip_prefix: str = "") -> list[str]:
    out, cur = [], []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        line = line.strip()
        if not line:
            if cur:
                out.append(" ".join(cur))
                cur = []
            continue
        tok = line.split(sep)[0] if sep else line.rsplit(" ", 1)[0]
        cur.append(tok[len(strip_prefix):] if strip_prefix and tok.startswith(strip_prefix) else tok)
    if cur:
        out.append(" ".join(cur))
    return out


def _dedup(xs: list[str]) -> list[str]:
    seen, out = set(), []
    for x in xs:
        key = arabic_letters_only(x)
        if len(key) >= 2 and key not in seen:  # at least one Arabic word
            seen.add(key)
            out.append(x.strip())
    return out


def load_sources(corpora: Path) -> dict[str, tuple[list[str], int]]:
    """source name -> (texts, label: 1 = Darija, 0 = MSA)."""
    missing = [p for p in ("langid/doda/sentences.csv", "ar/anercorp/train.txt", "langid/lingua/sentences/ar.txt",
                           "ar/wikiann/train")
               if not (corpora / p).exists()]
    if missing:
        raise SystemExit(f"missing corpus files under {corpora}: {', '.join(missing)}; pass --corpora DIR")
    with open(corpora / "langid/doda/sentences.csv", encoding="utf-8", newline="") as f:
        doda = [row["darija_ar"] for row in csv.DictReader(f)]
    return {
        "doda": (_dedup(doda), 1),
        "anercorp-train": (_dedup(_conll_sentences(corpora / "ar/anercorp/train.txt")), 0),
        "lingua-ar": (_dedup((corpora / "langid/lingua/sentences/ar.txt").read_text(encoding="utf-8").splitlines()), 0),
        # Wikipedia fragments: many transliterated foreign names, which DODa's phonetic spelling resembles.
        "wikiann-ar-train": (_dedup(_conll_sentences(corpora / "ar/wikiann/train", sep="\t", strip_prefix="ar:")), 0),
    }


def unseen_msa(corpora: Path) -> dict[str, list[str]]:
    """MSA sources never used for training (scored for false positives only)."""
    out = {}
    if (corpora / "ar/anercorp/test.txt").exists():
        out["anercorp-test"] = _dedup(_conll_sentences(corpora / "ar/anercorp/test.txt"))
    if (corpora / "ar/wikiann/test").exists():
        # about 1.8k WikiANN test sentences also occur in its train split: leave those out.
        seen = {arabic_letters_only(t) for t in _conll_sentences(corpora / "ar/wikiann/train", sep="\t", strip_prefix="ar:")}
        out["wikiann-ar-test"] = [t for t in _dedup(_conll_sentences(corpora / "ar/wikiann/test", sep="\t", strip_prefix="ar:"))
                                  if arabic_letters_only(t) not in seen]
    return out


def split(xs: list[str], seed: int, test_share: float = 0.2) -> tuple[list[str], list[str]]:
    """A fixed-seed shuffle split into (train, test)."""
    xs = list(xs)
    random.Random(seed).shuffle(xs)
    n_test = int(round(len(xs) * test_share))
    return xs[n_test:], xs[:n_test]


def train(texts: Sequence[str], labels: Sequence[int], seed: int) -> DarijaModel:
    """Fit TF-IDF char n-grams + logistic regression; return the pickle-free model."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    analyzer_opts = {k: OPTIONS[k] for k in ("analyzer", "ngram_range", "sublinear_tf")}
    vec = TfidfVectorizer(analyzer=make_analyzer(analyzer_opts), sublinear_tf=OPTIONS["sublinear_tf"],
                          min_df=OPTIONS["min_df"], dtype=np.float64)
    X = vec.fit_transform(texts)
    clf = LogisticRegression(C=OPTIONS["C"], class_weight="balanced", max_iter=2000, random_state=seed)
    clf.fit(X, np.asarray(labels))
    vocab = {t: int(i) for t, i in vec.vocabulary_.items()}
    model = DarijaModel(vocab=vocab, idf=vec.idf_.astype(np.float64), coef=clf.coef_[0].astype(np.float64),
                        intercept=float(clf.intercept_[0]), options=analyzer_opts)
    # The hand-written scorer must agree with scikit-learn's pipeline.
    probe = list(texts[:200])
    ref = clf.predict_proba(vec.transform(probe))[:, 1]
    ours = np.array([model.prob(t) or 0.0 for t in probe])
    if not np.allclose(ref, ours, atol=1e-6):
        raise RuntimeError("DarijaModel scoring differs from scikit-learn's; the analyzer options are out of sync")
    return model


def scores(model: DarijaModel, texts: list[str], labels: list[int]) -> dict[str, float | None]:
    """Accuracy, and precision / recall / F1 of the ``ary`` class."""
    pred = [1 if model.is_darija(t) else 0 for t in texts]
    tp = sum(1 for p, y in zip(pred, labels) if p == 1 and y == 1)
    fp = sum(1 for p, y in zip(pred, labels) if p == 1 and y == 0)
    fn = sum(1 for p, y in zip(pred, labels) if p == 0 and y == 1)
    acc = sum(1 for p, y in zip(pred, labels) if p == y) / max(1, len(labels))
    if tp + fn == 0:  # an MSA-only test set: precision and recall of ary are undefined
        return {"n": len(labels), "accuracy": acc, "precision_ary": None, "recall_ary": None, "f1_ary": None}
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn)
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"n": len(labels), "accuracy": acc, "precision_ary": prec, "recall_ary": rec, "f1_ary": f1}


def _fmt(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.4f}"


def held_out(corpora: Path, seed: int) -> dict[str, tuple[list[str], int]]:
    """The held-out 20 % of each training source (what the benchmark scores)."""
    return {name: (split(xs, seed)[1], y) for name, (xs, y) in load_sources(corpora).items()}


def main(argv: Sequence[str] | None = None) -> int:
    from ..paths import MODELS_DIR

    ap = argparse.ArgumentParser(prog="python -m healthcoop_nlp.train.darija", description=__doc__.splitlines()[0])
    ap.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA, help="the shared corpora folder")
    ap.add_argument("--out", type=Path, default=MODELS_DIR / "darija", help="where to write the model")
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    sources = load_sources(args.corpora)
    train_x, train_y, test = [], [], {}
    for name, (xs, y) in sources.items():
        tr, te = split(xs, args.seed)
        train_x += tr
        train_y += [y] * len(tr)
        test[name] = (te, y)
        print(f"{name}: {len(xs)} texts, {len(tr)} train, {len(te)} held out (label {'ary' if y else 'msa'})")
    model = train(train_x, train_y, args.seed)
    report: dict[str, dict[str, float | None]] = {}
    all_x = [t for xs, _ in test.values() for t in xs]
    all_y = [y for xs, y in test.values() for _ in xs]
    report["held-out (all sources)"] = scores(model, all_x, all_y)
    for name, (xs, y) in test.items():
        report[f"held-out {name}"] = scores(model, xs, [y] * len(xs))
    for name, xs in unseen_msa(args.corpora).items():
        report[f"unseen MSA {name}"] = scores(model, xs, [0] * len(xs))
    # Cross-source: without any lingua sentence in training, how does MSA from lingua fare?
    lingua_set = set(sources["lingua-ar"][0])
    keep = [i for i, t in enumerate(train_x) if t not in lingua_set]
    cross = train([train_x[i] for i in keep], [train_y[i] for i in keep], args.seed)
    lingua_all = sources["lingua-ar"][0]
    report["cross-source: no lingua in training, all lingua-ar"] = scores(cross, lingua_all, [0] * len(lingua_all))
    model.save(args.out, extra={"seed": args.seed, "train_size": len(train_x),
                                "data": ["DODa darija_ar (MIT)", "ANERcorp train (CC BY-SA 4.0)",
                                         "lingua sentences/ar (Apache-2.0)",
                                         "WikiANN ar train (Wikipedia-derived, licence unclear upstream)"]})
    (args.out / "metrics.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print("| test set | n | accuracy | precision ary | recall ary |")
    print("|---|---:|---:|---:|---:|")
    for name, s in report.items():
        print(f"| {name} | {s['n']} | {s['accuracy']:.4f} | {_fmt(s['precision_ary'])} | {_fmt(s['recall_ary'])} |")
    print(f"wrote {args.out} ({len(model.vocab)} n-grams) in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
