"""Arabic NER benchmark: accuracy on ANERcorp test, WikiANN-ar test and the seeds' Arabic
document; speed, load time and peak memory of the Arabic NER step. Prints Markdown tables.

    python bench/ner_ar.py                       # shipped model + ANERcorp-only model (trained if missing)
    python bench/ner_ar.py --skip-speed --baseline out/ar_ner_anercorp

The ANERcorp-only model is trained on ANERcorp train minus the dev split, with
the same features (``--sources anercorp --no-dev``) into ``out/ar_ner_anercorp``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora" / "ar"
GOLD = ROOT / "eval" / "gold" / "seeds.jsonl"


def _spans(tags):
    from healthcoop_nlp.scoring.conll import tags_to_spans

    return tags_to_spans(tags)


def strict_partial(gold: list[set], pred: list[set]) -> dict[str, dict[str, dict[str, float]]]:
    """Per label and micro: strict (same bounds and label) and partial (overlap, same label) P/R/F1.
    ``gold``/``pred``: per document or sentence, a set of (label, start, end)."""
    labels = sorted({s[0] for g in gold for s in g} | {s[0] for p in pred for s in p})
    out: dict[str, dict[str, dict[str, float]]] = {}
    for lab in labels + ["micro"]:
        res = {}
        for mode in ("strict", "partial"):
            tp_p = tp_g = n_p = n_g = 0
            for g, p in zip(gold, pred):
                g = [s for s in g if lab == "micro" or s[0] == lab]
                p = [s for s in p if lab == "micro" or s[0] == lab]
                n_g += len(g)
                n_p += len(p)
                if mode == "strict":
                    gs = set(g)
                    tp_p += sum(1 for s in p if s in gs)
                    tp_g = tp_p
                else:
                    tp_p += sum(1 for s in p if any(s[0] == t[0] and s[1] < t[2] and t[1] < s[2] for t in g))
                    tp_g += sum(1 for t in g if any(s[0] == t[0] and s[1] < t[2] and t[1] < s[2] for s in p))
            pr = tp_p / n_p if n_p else 0.0
            rc = tp_g / n_g if n_g else 0.0
            res[mode] = {"p": pr, "r": rc, "f1": 2 * pr * rc / (pr + rc) if pr + rc else 0.0, "n": n_g}
        out[lab] = res
    return out


def table(title: str, scores: dict, modes=("strict", "partial")) -> str:
    lines = [f"### {title}", "", "| label | " + " | ".join(f"{m} P | {m} R | {m} F1" for m in modes) + " | gold |",
             "|---|" + "---|---|---|" * len(modes) + "---|"]
    for lab, res in scores.items():
        cells = " | ".join(f"{res[m]['p']:.3f} | {res[m]['r']:.3f} | {res[m]['f1']:.3f}" for m in modes)
        lines.append(f"| {lab} | {cells} | {res[modes[0]]['n']} |")
    return "\n".join(lines) + "\n"


def token_eval(model_dir: Path, sents, with_gazetteer: bool = False) -> tuple[list[set], list[set]]:
    """Gold and predicted (label, first, end) token spans of the model on pre-tokenised sentences."""
    from healthcoop_nlp.ner.ar import ArabicTagger

    tagger = ArabicTagger(model_dir, dates=False, scores=False)
    gold, pred = [], []
    for s in sents:
        tags = tagger._crf.tag(tagger.featurizer(s.tokens))
        spans = set(_spans(tags))
        if with_gazetteer:
            for a, b, _, e in tagger.lexicon.matches(s.tokens):
                if not any(x[1] < b and a < x[2] for x in spans):
                    spans.add((e.label, a, b))
                elif not any(x[1] < b and a < x[2] and x[2] - x[1] > b - a for x in spans):
                    spans = {x for x in spans if not (x[1] < b and a < x[2])} | {(e.label, a, b)}
        gold.append(set(_spans(s.tags)))
        pred.append(spans)
    return gold, pred


def ensure_baseline(path: Path) -> Path:
    if not (path / "model.crfsuite").is_file():
        print(f"(training the ANERcorp-only model into {path})", file=sys.stderr)
        from healthcoop_nlp.train.ner_ar import TrainConfig, train

        train(TrainConfig(corpora=CORPORA, sources=("anercorp",), use_dev=False), path)
    return path


def seeds_eval(model_dir: Path) -> dict:
    from healthcoop_nlp.ner.ar import ArabicTagger
    from healthcoop_nlp.record import Record

    tagger = ArabicTagger(model_dir)
    gold, pred = [], []
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        if d.get("lang") != "ar":
            continue
        rec = Record.from_dict(d)
        gold.append({(e.label, m.start, m.end) for e in rec.entities for m in e.mentions})
        pred.append({(lab, m.start, m.end) for lab, m in tagger.tag(rec)})
    return strict_partial(gold, pred)


def speed(model_dir: Path) -> str:
    """Tokens/s on one core over ANERcorp test text, load time and peak RSS, in a fresh process."""
    code = f"""
import os, time, resource, json
os.environ['OMP_NUM_THREADS'] = '1'
t0 = time.perf_counter()
from healthcoop_nlp.ner.ar import ArabicTagger
from healthcoop_nlp.record import Record
from healthcoop_nlp.train.corpora import read_anercorp
tagger = ArabicTagger({str(model_dir)!r})
load = time.perf_counter() - t0
sents = read_anercorp({str(CORPORA / 'anercorp' / 'test.txt')!r})
docs = [' '.join(' '.join(s.tokens) for s in sents[i:i + 20]) for i in range(0, len(sents), 20)]
docs = docs * 2
from healthcoop_nlp.text.tokenize import tokenize
ntok = sum(len(tokenize(d)) for d in docs)
t1 = time.perf_counter()
for i, d in enumerate(docs):
    tagger.tag(Record(id=str(i), text=d))
dt = time.perf_counter() - t1
print(json.dumps({{'load_s': load, 'tokens': ntok, 'seconds': dt, 'tok_per_s': ntok / dt,
                  'peak_rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""
    out = subprocess.run(["taskset", "-c", "0", sys.executable, "-c", code], capture_output=True, text=True,
                         env={"OMP_NUM_THREADS": "1", "PATH": "/usr/bin:/bin"})
    if out.returncode != 0:
        return f"speed run failed: {out.stderr[-2000:]}\n"
    r = json.loads(out.stdout.strip().splitlines()[-1])
    return ("### Speed (one core, full Arabic NER step: tokenise, CRF, gazetteer, dates)\n\n"
            "| load s | tokens | seconds | tokens/s | peak RSS MB |\n|---|---|---|---|---|\n"
            f"| {r['load_s']:.2f} | {r['tokens']} | {r['seconds']:.2f} | {r['tok_per_s']:.0f} | "
            f"{r['peak_rss_mb']:.0f} |\n")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path, default=ROOT / "models" / "ar_ner")
    ap.add_argument("--baseline", type=Path, default=ROOT / "out" / "ar_ner_anercorp")
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--skip-baseline", action="store_true")
    args = ap.parse_args(argv)

    from healthcoop_nlp.scoring.conll import entity_prf
    from healthcoop_nlp.train.corpora import dedupe_against, read_anercorp, read_wikiann

    test = read_anercorp(CORPORA / "anercorp" / "test.txt")
    wk_train = read_wikiann(CORPORA / "wikiann" / "train")
    wk_test = dedupe_against(read_wikiann(CORPORA / "wikiann" / "test"), wk_train)

    models = [("shipped", args.model)]
    if not args.skip_baseline:
        models.insert(0, ("ANERcorp-only", ensure_baseline(args.baseline)))

    print("## Arabic NER benchmark\n")
    print("### ANERcorp test (CAMeL split, 918 sentences), entity-level micro-F1 (conlleval), PER/ORG/LOC\n")
    print("| model | trained on | P | R | F1 | PER F1 | ORG F1 | LOC F1 |\n|---|---|---|---|---|---|---|---|")
    for name, path in models:
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        from healthcoop_nlp.ner.ar import ArabicTagger

        tg = ArabicTagger(path, dates=False, scores=False)
        for variant, gaz in (("CRF", False), ("CRF + gazetteer", True)):
            g, p = token_eval(path, test, gaz)
            # entity_prf on the span sets: rebuild IOB2 sequences
            r = _prf_from_spans(g, p)
            trained = ", ".join(f"{k} {v}" for k, v in meta["sentences"].items())
            print(f"| {name} ({variant}) | {trained} | {r['micro']['p']:.4f} | {r['micro']['r']:.4f} | "
                  f"{r['micro']['f1']:.4f} | {r['PER']['f1']:.3f} | {r['ORG']['f1']:.3f} | {r['LOC']['f1']:.3f} |")
        del tg
    print()
    g, p = token_eval(args.model, wk_test, True)
    print(table(f"WikiANN-ar test, deduplicated against WikiANN train ({len(wk_test)} sentences), shipped "
                "model + gazetteer, token spans", strict_partial(g, p)))
    print(table("Seeds' Arabic document (eval/gold/seeds.jsonl), full tagger incl. DATE, character spans",
                seeds_eval(args.model)))
    if not args.skip_speed:
        print(speed(args.model))
    return 0


def _prf_from_spans(gold: list[set], pred: list[set]) -> dict:
    res = {}
    for lab in ("PER", "ORG", "LOC", "micro"):
        tp = sum(len({s for s in p if lab in ("micro", s[0])} & {s for s in g if lab in ("micro", s[0])})
                 for g, p in zip(gold, pred))
        n_p = sum(1 for p in pred for s in p if lab in ("micro", s[0]))
        n_g = sum(1 for g in gold for s in g if lab in ("micro", s[0]))
        pr = tp / n_p if n_p else 0.0
        rc = tp / n_g if n_g else 0.0
        res[lab] = {"p": pr, "r": rc, "f1": 2 * pr * rc / (pr + rc) if pr + rc else 0.0}
    return res


if __name__ == "__main__":
    sys.exit(main())
