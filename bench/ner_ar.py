"""Arabic NER benchmark: accuracy on ANERcorp test, WikiANN-ar test and the seeds' Arabic
document; speed, load time and peak memory of the Arabic NER step. Prints Markdown tables.

    python bench/ner_ar.py                       # shipped model + ANERcorp-only model (trained if missing)
    python bench/ner_ar.py --skip-speed --baseline out/ar_ner_anercorp
    python bench/ner_ar.py --hcnews ../shared/hcnews/dev --only-hcnews   # hcnews dev, per label + step ablation

The ANERcorp-only model is trained on all of ANERcorp train.txt with no other
corpus (no WikiANN name lists; the hand-written gazetteer stays a feature) into
``out/ar_ner_anercorp``, as ``healthcoop-nlp train-ner --lang ar --sources anercorp
--no-name-lists --out out/ar_ner_anercorp``.
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
WINDOW = 10  # pseudo-document size for the consistency step on ANERcorp (chosen on the dev split)


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


def _spans_to_tags(spans, n: int) -> list[str]:
    tags = ["O"] * n
    for label, s, e in sorted(spans, key=lambda x: x[1]):
        tags[s] = "B-" + label
        for i in range(s + 1, e):
            tags[i] = "I-" + label
    return tags


def token_tags(model_dir: Path, sents, gazetteer: bool = False, window: int = 0, rules: bool = False,
               arch: str = "crf") -> list[list[str]]:
    """Predicted IOB2 tags on pre-tokenised sentences: the CRF, optionally completed by the
    gazetteer (as the tagger does) and made consistent over windows of ``window`` consecutive
    sentences (the tagger's document consistency; ANERcorp has no document boundaries)."""
    from healthcoop_nlp.ner.ar import ArabicTagger, propagate_names

    tagger = ArabicTagger(model_dir, dates=False, scores=False, arch=arch)
    out = []
    lstm = tagger._lstm.tag_sentences([s.tokens for s in sents]) if arch == "lstm" else None
    for k, s in enumerate(sents):
        tags = lstm[k] if lstm is not None else tagger._crf.tag(tagger.featurizer(s.tokens))
        if rules:  # the tagger's token rules: PER titles/particles, construct heads (حكومة + name)
            tags = tagger.join_heads(s.tokens, tagger.fix_tags(s.tokens, tags))
        if gazetteer:
            spans = set(_spans(tags))
            for a, b, _, e in tagger.lexicon.matches(s.tokens):
                if any(x[1] < b and a < x[2] and (x[2] - x[1] > b - a or not tagger.gazetteer_overrides)
                       for x in spans):
                    continue  # a longer model span is kept (any overlapping one, without overrides)
                spans = {x for x in spans if not (x[1] < b and a < x[2])} | {(e.label, a, b)}
            tags = _spans_to_tags(spans, len(s.tokens))
        out.append(tags)
    if window:
        out = [t for i in range(0, len(sents), window)
               for t in propagate_names([s.tokens for s in sents[i:i + window]], out[i:i + window])]
    return out


def token_eval(model_dir: Path, sents, gazetteer: bool = False, window: int = 0, rules: bool = False,
               arch: str = "crf") -> tuple[list[set], list[set]]:
    """Gold and predicted (label, first, end) token spans per sentence."""
    pred = token_tags(model_dir, sents, gazetteer, window, rules, arch)
    return [set(_spans(s.tags)) for s in sents], [set(_spans(p)) for p in pred]


def ensure_baseline(path: Path) -> Path:
    if not (path / "model.crfsuite").is_file():
        print(f"(training the ANERcorp-only model into {path})", file=sys.stderr)
        from healthcoop_nlp.train.ner_ar import TrainConfig, train

        train(TrainConfig(corpora=CORPORA, sources=("anercorp",), use_dev=True, names=False), path)
    return path


def gold_file_eval(model_dir: Path, gold_file: Path, **options) -> dict:
    """Strict/partial scores of the full Arabic tagger (``options``: ``ArabicTagger``'s) on the Arabic
    records of a gold JSONL file, character spans, DATE included."""
    from healthcoop_nlp.ner.ar import ArabicTagger
    from healthcoop_nlp.record import Record

    tagger = ArabicTagger(model_dir, **options)
    gold, pred = [], []
    for line in Path(gold_file).read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        if d.get("lang") != "ar":
            continue
        rec = Record.from_dict(d)
        gold.append({(e.label, m.start, m.end) for e in rec.entities for m in e.mentions})
        pred.append({(lab, m.start, m.end) for lab, m in tagger.tag(rec)})
    return strict_partial(gold, pred)


def seeds_eval(model_dir: Path) -> dict:
    """The full Arabic tagger on the seeds' Arabic document."""
    return gold_file_eval(model_dir, GOLD)


def hcnews_eval(model_dir: Path, folder: Path, **options) -> dict:
    """The full Arabic tagger on the Arabic articles of an hcnews split (``folder/gold.jsonl``)."""
    return gold_file_eval(model_dir, Path(folder) / "gold.jsonl", **options)


HCNEWS_STEPS = [
    ("the tagger (all steps, default gazetteer policy)", {}),
    ("gazetteer only fills gaps between model spans", {"gazetteer_overrides": False}),
    ("gazetteer may replace model spans it equals or covers", {"gazetteer_overrides": True}),
    ("no gazetteer step", {"gazetteer": False}),
    ("no PER rules", {"rules": False}),
    ("no construct heads (حكومة + name)", {"construct": False}),
    ("no document consistency", {"propagate": False}),
    ("model alone (+ dates)", {"gazetteer": False, "rules": False, "propagate": False, "construct": False}),
]


def hcnews_report(model_dir: Path, folder: Path, arch: str) -> str:
    """Per-label table of the full tagger and strict F1 of each step left out, on an hcnews split."""
    out = [table(f"hcnews {folder.name}, Arabic articles, full tagger ({arch}), character spans",
                 hcnews_eval(model_dir, folder, arch=arch))]
    out += ["### hcnews: each tagger step left out (strict F1)", "",
            "| tagger | PER | ORG | LOC | PER/ORG/LOC micro | micro with DATE |", "|---|---|---|---|---|---|"]
    for name, opts in HCNEWS_STEPS:
        r = hcnews_eval(model_dir, folder, arch=arch, **opts)
        names3 = strict_partial_names(r)
        out.append(f"| {name} | {r['PER']['strict']['f1']:.3f} | {r['ORG']['strict']['f1']:.3f} | "
                   f"{r['LOC']['strict']['f1']:.3f} | {names3:.3f} | {r['micro']['strict']['f1']:.3f} |")
        print(out[-1], file=sys.stderr)
    return "\n".join(out) + "\n"


def strict_partial_names(r: dict) -> float:
    """Strict micro-F1 over PER/ORG/LOC from a ``strict_partial`` result (DATE left out)."""
    tp = p = g = 0.0
    for lab in ("PER", "ORG", "LOC"):
        s = r[lab]["strict"]
        tp_l = s["r"] * s["n"]
        tp += tp_l
        g += s["n"]
        p += tp_l / s["p"] if s["p"] else 0.0
    pr = tp / p if p else 0.0
    rc = tp / g if g else 0.0
    return 2 * pr * rc / (pr + rc) if pr + rc else 0.0


def speed(model_dir: Path, arch: str = "crf") -> str:
    """Tokens/s on one core over ANERcorp test text, load time and peak RSS, in a fresh process."""
    code = f"""
import os, time, resource, json
def peak_mb():
    # VmHWM: this process image's peak RSS (ru_maxrss would carry the forking parent's peak)
    for line in open('/proc/self/status'):
        if line.startswith('VmHWM:'):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
os.environ['OMP_NUM_THREADS'] = '1'
t0 = time.perf_counter()
from healthcoop_nlp.ner.ar import ArabicTagger
from healthcoop_nlp.record import Record
from healthcoop_nlp.train.corpora import read_anercorp
tagger = ArabicTagger({str(model_dir)!r}, arch={arch!r})
load = time.perf_counter() - t0
sents = read_anercorp({str(CORPORA / 'anercorp' / 'test.txt')!r})
docs = [' '.join(' '.join(s.tokens) for s in sents[i:i + 20]) for i in range(0, len(sents), 20)]
docs = docs * 2
from healthcoop_nlp.text.tokenize import tokenize
ntok = sum(len(tokenize(d)) for d in docs)
t1 = time.perf_counter()
c1 = time.process_time()
for i, d in enumerate(docs):
    tagger.tag(Record(id=str(i), text=d))
dt = time.perf_counter() - t1
cpu = time.process_time() - c1
print(json.dumps({{'load_s': load, 'tokens': ntok, 'seconds': dt, 'tok_per_s': ntok / dt,
                  'tok_per_cpu_s': ntok / cpu, 'peak_rss_mb': peak_mb()}}))
"""
    out = subprocess.run(["taskset", "-c", "0", sys.executable, "-c", code], capture_output=True, text=True,
                         env={"OMP_NUM_THREADS": "1", "PATH": "/usr/bin:/bin"})
    if out.returncode != 0:
        return f"speed run failed: {out.stderr[-2000:]}\n"
    r = json.loads(out.stdout.strip().splitlines()[-1])
    return (f"### Speed, {arch} (one core, full Arabic NER step: tokenise, tag, rules, gazetteer, dates)\n\n"
            "| load s | tokens | seconds | tokens/s (wall) | tokens per CPU-second | peak RSS MB |\n"
            "|---|---|---|---|---|---|\n"
            f"| {r['load_s']:.2f} | {r['tokens']} | {r['seconds']:.2f} | {r['tok_per_s']:.0f} | "
            f"{r['tok_per_cpu_s']:.0f} | {r['peak_rss_mb']:.0f} |\n")


ABLATION = [
    ("ANERcorp, no gazetteer, no name lists", ("anercorp",), {"gazetteer": False, "names": False}),
    ("ANERcorp, gazetteer, no name lists", ("anercorp",), {"names": False}),
    ("ANERcorp, gazetteer + WikiANN name lists", ("anercorp",), {}),
    ("+ NewsFANE (dev/test copies dropped)", ("anercorp", "newsfane"), {}),
    ("+ WikiANN train (deduplicated)", ("anercorp", "wikiann"), {}),
    ("+ WikiANN train, 25% sample", ("anercorp", "wikiann"), {"wikiann_weight": 0.25}),
]


def ablation(out_dir: Path) -> str:
    """Train one model per data configuration (dev split held out) and score dev and test."""
    from healthcoop_nlp.ner.ar_features import Featurizer
    from healthcoop_nlp.ner.ar_lexicon import Lexicon
    from healthcoop_nlp.train.ner_ar import TrainConfig, evaluate, load_data, train_crf

    lines = ["### What each training set adds (CRF, sentence-level; dev = ANERcorp train split, held out)", "",
             "| configuration | sentences | train s | dev F1 | test F1 |", "|---|---|---|---|---|"]
    for name, sources, kw in ABLATION:
        cfg = TrainConfig(corpora=CORPORA, sources=sources, **kw)
        t0 = time.perf_counter()
        data = load_data(cfg)
        fz = Featurizer(Lexicon.load() if cfg.gazetteer else None, data.names)
        model = out_dir / "_".join(sources) / str(abs(hash(name)) % 10**6) / "model.crfsuite"
        train_crf(data.train, model, cfg, fz)
        secs = time.perf_counter() - t0
        dev = evaluate(model, data.dev, fz)["micro"]["f1"]
        test = evaluate(model, data.test, fz)["micro"]["f1"]
        lines.append(f"| {name} | {data.counts} | {secs:.0f} | {dev:.4f} | {test:.4f} |")
        print(lines[-1], file=sys.stderr)
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path, default=ROOT / "models" / "ar_ner")
    ap.add_argument("--baseline", type=Path, default=ROOT / "out" / "ar_ner_anercorp")
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--skip-baseline", action="store_true")
    ap.add_argument("--hcnews", type=Path, default=None,
                    help="also score the tagger on the Arabic articles of this hcnews split (e.g. "
                         "../shared/hcnews/dev), per label and with each step left out")
    ap.add_argument("--only-hcnews", action="store_true", help="print only the hcnews tables")
    ap.add_argument("--ablation", action="store_true",
                    help="also train one model per data configuration and print dev/test F1 (slow)")
    args = ap.parse_args(argv)

    from healthcoop_nlp.scoring.conll import entity_prf
    from healthcoop_nlp.train.corpora import dedupe_against, read_anercorp, read_wikiann

    if args.only_hcnews:
        if args.hcnews is None:
            ap.error("--only-hcnews needs --hcnews DIR")
        arch = "lstm" if (args.model / "lstm" / "model.safetensors").is_file() else "crf"
        print(hcnews_report(args.model, args.hcnews, arch))
        return 0

    test = read_anercorp(CORPORA / "anercorp" / "test.txt")
    wk_train = read_wikiann(CORPORA / "wikiann" / "train")
    wk_test = dedupe_against(read_wikiann(CORPORA / "wikiann" / "test"), wk_train)

    models = [("shipped CRF", args.model, "crf")]
    if (args.model / "lstm" / "model.safetensors").is_file():
        models.append(("shipped BiLSTM-CRF", args.model, "lstm"))
    if not args.skip_baseline:
        models.insert(0, ("ANERcorp-only CRF", ensure_baseline(args.baseline), "crf"))
    default_arch = models[-1][2]

    print("## Arabic NER benchmark\n")
    print("### ANERcorp test (CAMeL split, 918 sentences), entity-level micro-F1 (conlleval), PER/ORG/LOC\n")
    print("| model | trained on | P | R | F1 | PER F1 | ORG F1 | LOC F1 |\n|---|---|---|---|---|---|---|---|")
    for name, path, arch in models:
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        if arch == "lstm":  # the BiLSTM-CRF keeps dev out (each member's epoch is chosen on it)
            lm = json.loads((path / "lstm" / "config.json").read_text(encoding="utf-8"))
            meta = {**meta, "sentences": lm["sentences"]}
        trained = ", ".join(f"{k} {v}" for k, v in meta["sentences"].items()) + \
            (f"; WikiANN name lists ({meta['name_lists']} forms)" if meta.get("name_lists") else "; no name lists")
        if arch == "lstm":
            n = len(lm.get("best_epochs", [lm.get("best_epoch")]))
            trained += ("; e5 sub-word embeddings" if lm["config"].get("sub_dim") else "") + \
                (f"; {n} seeds averaged" if n > 1 else "")
        for variant, gaz, window, rules in (
                ("model alone, sentence-level", False, 0, False),
                ("+ gazetteer", True, 0, False),
                ("+ gazetteer + PER rules and construct heads", True, 0, True),
                (f"+ gazetteer + rules + consistency over {WINDOW} sentences", True, WINDOW, True)):
            r = entity_prf([s.tags for s in test], token_tags(path, test, gaz, window, rules, arch))
            lab = r["labels"]
            print(f"| {name}: {variant} | {trained} | {r['micro']['precision']:.4f} | {r['micro']['recall']:.4f} | "
                  f"{r['micro']['f1']:.4f} | {lab['PER']['f1']:.3f} | {lab['ORG']['f1']:.3f} | {lab['LOC']['f1']:.3f} |")
    print()
    g, p = token_eval(args.model, wk_test, True, 0, True, default_arch)
    print(table(f"WikiANN-ar test, deduplicated against WikiANN train ({len(wk_test)} sentences), shipped "
                f"model ({default_arch}) + gazetteer + PER rules, token spans", strict_partial(g, p)))
    print(table(f"Seeds' Arabic document (eval/gold/seeds.jsonl), full tagger ({default_arch}) incl. DATE, "
                "character spans", seeds_eval(args.model)))
    if args.hcnews is not None:
        print(hcnews_report(args.model, args.hcnews, default_arch))
    if not args.skip_speed:
        for arch in sorted({m[2] for m in models if m[1] == args.model}):
            print(speed(args.model, arch))
    if args.ablation:
        print(ablation(ROOT / "out" / "ar_ner_ablation"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
