"""Benchmark of the ``entities`` component: mention grouping and PER titles.

    python bench/entities.py                    # seeds gold, gold and predicted mentions
    python bench/entities.py --show             # also list every wrong cluster and title
    python bench/entities.py --no-pred          # gold mentions only (no NER models needed)
    python bench/entities.py --no-gazetteer     # grouping without gazetteer keys
    python bench/entities.py --spot-check 40    # titles found on unseen public corpora, for review
    python bench/entities.py --gold tests/entities/data/unseen.jsonl --no-pred
                                                # two self-written articles (fr, ar), not from the seeds

On gold mentions each gold record's entities are exploded into single-mention
entities (ids m0, m1... as the ner component writes them), the component
regroups them and the clusters are compared to the gold ones (B-cubed, MUC,
CEAF-e) and the PER titles to the gold titles (token P/R/F1 over paired PER
entities). On predicted mentions the pipeline ``ner`` + ``entities`` runs on
the gold text with the gold ``lang``. Scores come from
``healthcoop_nlp.scoring.clusters`` when it is installed, else from the
B-cubed and title-token code below.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from collections import Counter
from pathlib import Path

from healthcoop_nlp.entities.component import EntitiesComponent
from healthcoop_nlp.record import Entity, Record

ROOT = Path(__file__).resolve().parents[1]


def explode(gold: Record) -> Record:
    """The gold record as the ner component would leave it: one entity per gold mention."""
    r = Record(id=gold.id, text=gold.text, lang=gold.lang, source=gold.source, date=gold.date,
               dialect=gold.dialect)
    pairs = sorted(((e.label, m) for e in gold.entities for m in e.mentions), key=lambda lm: (lm[1].start, lm[1].end))
    r.entities = [Entity(id=f"m{i}", label=lab, mentions=[copy.copy(m)], name=m.text)
                  for i, (lab, m) in enumerate(pairs)]
    return r


# -- fallback scoring (used when healthcoop_nlp.scoring.clusters is absent) -------------------------
def _clusters(r: Record, keep: set | None = None) -> list[frozenset]:
    out = []
    for e in r.entities:
        c = frozenset((m.start, m.end) for m in e.mentions if keep is None or (m.start, m.end) in keep)
        if c:
            out.append(c)
    return out


def _b3(key: list[frozenset], resp: list[frozenset]) -> tuple[float, float, float, float]:
    def side(a, b):
        num = sum(len(k & r) ** 2 / len(k) for k in a for r in b if k & r)
        return num, float(sum(len(k) for k in a))
    rn, rd = side(key, resp)
    pn, pd = side(resp, key)
    return rn, rd, pn, pd


def _f(c) -> dict:
    rn, rd, pn, pd = c
    r = rn / rd if rd else 0.0
    p = pn / pd if pd else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def _fallback_clusters(golds: list[Record], preds: list[Record]) -> dict:
    tot = {"gold_mentions": [0.0] * 4, "pred_mentions": [0.0] * 4}
    for g, p in zip(golds, preds):
        common = {s for c in _clusters(g) for s in c} & {s for c in _clusters(p) for s in c}
        for setting, keep in (("gold_mentions", common), ("pred_mentions", None)):
            for k, v in enumerate(_b3(_clusters(g, keep), _clusters(p, keep))):
                tot[setting][k] += v
    return {s: {"b3": _f(c)} for s, c in tot.items()}


def _fallback_titles(golds: list[Record], preds: list[Record]) -> dict:
    common = pt = gt = 0
    pairs = exact = 0
    for g, p in zip(golds, preds):
        for ge in (e for e in g.entities if e.label == "PER"):
            pe = next((e for e in p.entities if e.label == "PER"
                       and any(gm.overlaps(pm) for gm in ge.mentions for pm in e.mentions)), None)
            if pe is None:
                continue
            a = re.findall(r"\w+", (ge.title or "").lower())
            b = re.findall(r"\w+", (pe.title or "").lower())
            common += sum((Counter(a) & Counter(b)).values())
            gt, pt = gt + len(a), pt + len(b)
            pairs += 1
            exact += a == b
    prec = common / pt if pt else 0.0
    rec = common / gt if gt else 0.0
    return {"token": {"precision": prec, "recall": rec, "f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0},
            "exact": exact / pairs if pairs else None, "pairs": pairs}


def score(golds: list[Record], preds: list[Record]) -> tuple[dict, dict, str]:
    try:
        from healthcoop_nlp.scoring.clusters import score_clusters, score_titles
    except ImportError:
        return _fallback_clusters(golds, preds), _fallback_titles(golds, preds), "bench fallback (B-cubed only)"
    return score_clusters(golds, preds), score_titles(golds, preds), "healthcoop_nlp.scoring.clusters"


def predict(golds: list[Record], gazetteer: bool = True) -> tuple[list[Record], list[Record], list[str]]:
    """ner + entities over the gold texts, with the gold language given (langid keeps a given lang).

    Returns the gold records that ran, their predictions, and a note per document that could not run
    (e.g. a language whose NER model is not built yet)."""
    from healthcoop_nlp import Pipeline

    nlp = Pipeline(["langid", "ner", "entities"], config={"entities": {"gazetteer": gazetteer}})
    ran, preds, skipped = [], [], []
    for g in golds:
        try:
            preds.append(nlp(g.text, date=g.date, id=g.id, lang=g.lang))
            ran.append(g)
        except Exception as e:  # noqa: BLE001 - report the document and go on
            skipped.append(f"{g.id} ({g.lang}): {type(e).__name__}: {str(e)[:120]}")
    return ran, preds, skipped


_CORPORA = ROOT.parent / "shared" / "corpora"
_SPOT = {"ar": ("ar/anercorp/test.txt", "conll", {"PERS": "PER"}),
         "fr": ("fr/wikiann/test", "wikiann", None)}


def _corpus_docs(lang: str, window: int) -> list[tuple[str, list]]:
    """Pseudo-documents of ``window`` consecutive sentences of an unseen corpus, with its gold
    PER/ORG/LOC mentions as (label, Mention); tokens joined by spaces."""
    from healthcoop_nlp.record import Mention
    from healthcoop_nlp.scoring.conll import read_tagged, tags_to_spans

    rel, fmt, labels = _SPOT[lang]
    sents = read_tagged(_CORPORA / rel, fmt, label_map=labels)
    docs = []
    for d in range(0, len(sents), window):
        text, ms = "", []
        for sent in sents[d:d + window]:
            toks = [t for t, _ in sent]
            starts, pos = [], len(text)
            for t in toks:
                starts.append(pos)
                pos += len(t) + 1
            text += " ".join(toks) + "\n"
            for lab, a, b in tags_to_spans([g for _, g in sent]):
                if lab in ("PER", "ORG", "LOC"):
                    st, en = starts[a], starts[b - 1] + len(toks[b - 1])
                    ms.append((lab, Mention(st, en, text[st:en])))
        docs.append((text, ms))
    return docs


def spot_check(n: int, seed: int = 0) -> None:
    """On unseen public corpora (ANERcorp test; WikiANN French test, since HIPE's PER spans
    include titles), with their gold mentions: the titles found next to PER mentions
    (sentence by sentence) and the clusters that join different surfaces (windows of 25
    consecutive sentences), each with a random sample to read. No gold titles or clusters
    exist there, so the samples are for a person to judge."""
    import random

    from healthcoop_nlp.entities.component import gazetteer_lookup
    from healthcoop_nlp.entities.grouping import group_mentions, mention_key
    from healthcoop_nlp.entities.titles import find_titles

    for lang, (rel, _, _) in _SPOT.items():
        if not (_CORPORA / rel).is_file():
            print(f"\n== spot check {lang}: {_CORPORA / rel} not found")
            continue
        found, n_per = [], 0
        for text, ms in _corpus_docs(lang, 1):
            for (lab, m), t in zip(ms, find_titles(text, ms, lang)):
                if lab != "PER":
                    continue
                n_per += 1
                if t is not None:
                    lo, hi = min(t.start, m.start), max(t.end, m.end)
                    found.append(f"[{t.text}] -> {m.text}\n      ...{text[max(0, lo - 40):hi + 40].strip()}...")
        print(f"\n== spot check {lang} titles ({rel}): {n_per} PER mentions, {len(found)} with a title "
              f"({len(found) / max(1, n_per):.1%}); random sample of {min(n, len(found))}:")
        for line in random.Random(seed).sample(found, min(n, len(found))):
            print(f"  {line}")
        key_of = gazetteer_lookup(lang)
        joined = []
        for text, ms in _corpus_docs(lang, 25):
            for g in group_mentions(text, ms, key_of):
                surfaces = sorted({ms[i][1].text for i in g})
                if len({mention_key(x) for x in surfaces}) > 1:
                    joined.append(f"{ms[g[0]][0]} {surfaces}")
        print(f"\n== spot check {lang} grouping: {len(joined)} clusters join different surfaces; "
              f"random sample of {min(n, len(joined))}:")
        for line in random.Random(seed).sample(joined, min(n, len(joined))):
            print(f"  {line}")


# -- report --------------------------------------------------------------------------------------
def _fmt(d: dict | None) -> str:
    if not d or d.get("f1") is None:
        return "n/a"
    return f"P {d['precision']:.3f} R {d['recall']:.3f} F1 {d['f1']:.3f}"


def report(title: str, clusters: dict, titles: dict, setting: str) -> None:
    block = clusters[setting]
    print(f"\n== {title}")
    for m in ("b3", "muc", "ceafe"):
        if m in block:
            print(f"  {m:6s} {_fmt(block[m])}")
    if "conll_f1" in block and block["conll_f1"] is not None:
        print(f"  conll  F1 {block['conll_f1']:.3f}")
    for lang, sub in sorted(clusters.get("by_lang", {}).items()):
        print(f"  [{lang}] b3 {_fmt(sub[setting]['b3'])}")
    print(f"  titles token {_fmt(titles['token'])}  exact {titles.get('exact') or 0:.3f}  "
          f"pairs {titles.get('pairs')}")
    for lang, sub in sorted(titles.get("by_lang", {}).items()):
        print(f"  [{lang}] titles token {_fmt(sub['token'])}")


def show_errors(golds: list[Record], preds: list[Record]) -> None:
    for g, p in zip(golds, preds):
        where = {(m.start, m.end): e.id for e in p.entities for m in e.mentions}
        for e in g.entities:
            ids = {where.get((m.start, m.end)) for m in e.mentions} - {None}
            if len(ids) > 1:
                print(f"  SPLIT {g.id} {e.label} {e.name!r} -> {sorted(ids)}")
        gwhere = {(m.start, m.end): e.id for e in g.entities for m in e.mentions}
        for e in p.entities:
            ids = {gwhere.get((m.start, m.end)) for m in e.mentions} - {None}
            if len(ids) > 1:
                print(f"  MERGE {g.id} {e.label} {[m.text for m in e.mentions]} <- gold {sorted(ids)}")
        for ge in (e for e in g.entities if e.label == "PER"):
            pe = next((e for e in p.entities if e.label == "PER"
                       and any(gm.overlaps(pm) for gm in ge.mentions for pm in e.mentions)), None)
            pt = pe.title if pe else "<no entity>"
            if pt != ge.title:
                print(f"  TITLE {g.id} {ge.name!r}: gold {ge.title!r} / pred {pt!r}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=ROOT / "eval" / "gold" / "seeds.jsonl")
    ap.add_argument("--show", action="store_true", help="list wrong clusters and titles")
    ap.add_argument("--no-pred", action="store_true", help="skip the predicted-mention run")
    ap.add_argument("--no-gazetteer", action="store_true", help="group without gazetteer keys")
    ap.add_argument("--spot-check", type=int, metavar="N", default=0,
                    help="print N titles found on unseen public corpora (for review) and stop")
    ap.add_argument("--spot-seed", type=int, default=0, help="random seed of the --spot-check sample")
    args = ap.parse_args(argv)
    if args.spot_check:
        spot_check(args.spot_check, args.spot_seed)
        return 0

    golds = [Record.from_dict(json.loads(line)) for line in args.gold.read_text(encoding="utf-8").splitlines()
             if line.strip()]
    comp = EntitiesComponent(gazetteer=not args.no_gazetteer)
    gaz = {lang: comp.key_of(lang) is not None for lang in sorted({g.lang for g in golds})}
    print(f"gold: {args.gold} ({len(golds)} documents); gazetteer loaded: {gaz}")

    preds = [comp(explode(g)) for g in golds]
    clusters, titles, scorer = score(golds, preds)
    print(f"scorer: {scorer}")
    report("gold mentions (grouping and titles alone)", clusters, titles, "gold_mentions")
    if args.show:
        show_errors(golds, preds)

    if args.no_pred:
        return 0
    golds2, preds2, skipped = predict(golds, gazetteer=not args.no_gazetteer)
    for note in skipped:
        print(f"\npredicted mentions: skipped {note}")
    if not preds2:
        return 0
    print(f"\npredicted mentions on {len(preds2)} of {len(golds)} documents "
          f"({', '.join(sorted({g.lang for g in golds2}))})")
    clusters2, titles2, _ = score(golds2, preds2)
    report("predicted mentions (ner + entities)", clusters2, titles2, "pred_mentions")
    report("predicted mentions, scored on the mentions NER got right", clusters2, titles2, "gold_mentions")
    if args.show:
        show_errors(golds2, preds2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
