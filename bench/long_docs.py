"""Time and peak memory of one long document through the whole pipeline, by size and shape.

Issue #18 asks that time and memory grow linearly with the length of a document,
whatever its shape: a 1 MB document in under 60 s and under 1.5 GB. Each
measurement runs in a fresh process (``load()``, a short warm-up document in the
same language so that the models are loaded, then the long document through
``nlp.pipe``), which prints its wall and CPU time (they differ on a busy
machine) and its peak RSS (``ru_maxrss``, models included).
Documents are sentences of the shared public corpora (``bench/corpus.py``:
Europeana/WikiANN French, ANERcorp/WikiANN Arabic) in one fixed shuffled order,
so that every size has the same mix of running text and entity-dense WikiANN
lines (in corpus order the second million characters are all WikiANN), cut to
the size; sizes are in millions of characters (``--max-chars`` counts
characters). Shapes: ``paragraphs`` (a blank line every ~5 sentences),
``line`` (one line, no line break), ``nospace`` (one line without any space:
one long token).

    OMP_NUM_THREADS=1 python bench/long_docs.py                     # 0.1 0.5 1 2 MB, fr and ar, paragraphs
    OMP_NUM_THREADS=1 python bench/long_docs.py --sizes 1 --shapes line nospace
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
WARM = {"fr": "Le ministre de la Santé a reçu lundi à Rabat le directeur régional de l'OMS.",
        "ar": "استقبل وزير الصحة يوم الاثنين بالرباط المدير الإقليمي لمنظمة الصحة العالمية."}


def build(lang: str, chars: int, shape: str) -> str:
    """A document of exactly ``chars`` characters from the corpus sentences of ``lang``."""
    sys.path.insert(0, str(HERE))
    from corpus import sentences

    sents = sentences(lang)
    random.Random(0).shuffle(sents)
    parts, n, i = [], 0, 0
    while n < chars:
        s = sents[i % len(sents)]
        sep = "\n\n" if (shape == "paragraphs" and i % 5 == 4) else " "
        parts.append(s + sep)
        n += len(s) + len(sep)
        i += 1
    text = "".join(parts)[:chars]
    if shape == "nospace":
        text = "".join(text.split())
        while len(text) < chars:
            text += text[: chars - len(text)]
    return text


def measure(lang: str, chars: int, shape: str) -> dict:
    """Run one measurement in a fresh process; its JSON line."""
    code = f"""
import json, resource, sys, time
sys.path.insert(0, {str(HERE)!r})
from long_docs import build, WARM
import healthcoop_nlp
from healthcoop_nlp.record import Record
text = build({lang!r}, {chars}, {shape!r})
t0 = time.perf_counter()
nlp = healthcoop_nlp.load()
list(nlp.pipe([WARM[{lang!r}]], errors="raise"))
load_s = time.perf_counter() - t0
rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t0, c0 = time.perf_counter(), time.process_time()
out = list(nlp.pipe([Record(id="long", text=text)], errors="return"))[0]
secs, cpu = time.perf_counter() - t0, time.process_time() - c0
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
ok = hasattr(out, "entities")
print(json.dumps(dict(lang={lang!r}, chars=len(text), shape={shape!r}, seconds=round(secs, 2), cpu_seconds=round(cpu, 2),
                      load_seconds=round(load_s, 2), rss_after_load_mb=round(rss0), peak_rss_mb=round(rss),
                      detected=getattr(out, "lang", None), entities=len(out.entities) if ok else None,
                      events=len(out.events) if ok else None, error=None if ok else out.reason)))
"""
    env = dict(os.environ, OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1"))
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    if r.returncode != 0:
        return dict(lang=lang, chars=chars, shape=shape, error=r.stderr.strip().splitlines()[-1:])
    return json.loads(r.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=float, nargs="+", default=[0.1, 0.5, 1, 2], help="millions of characters")
    ap.add_argument("--langs", nargs="+", default=["fr", "ar"])
    ap.add_argument("--shapes", nargs="+", default=["paragraphs"], choices=["paragraphs", "line", "nospace"])
    ap.add_argument("--json", metavar="FILE", help="also write every measurement as JSON")
    args = ap.parse_args()
    rows = []
    print("| lang | shape | characters | wall s | CPU s | CPU s per M chars | peak RSS (MB) | RSS after load (MB) | "
          "entities | events |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for lang in args.langs:
        for shape in args.shapes:
            for size in args.sizes:
                m = measure(lang, int(size * 1_000_000), shape)
                rows.append(m)
                if m.get("error"):
                    print(f"| {lang} | {shape} | {int(size * 1e6):,} | error: {m['error']} | | | | | | |", flush=True)
                    continue
                print(f"| {lang} | {shape} | {m['chars']:,} | {m['seconds']:.1f} | {m['cpu_seconds']:.1f} | "
                      f"{m['cpu_seconds'] / (m['chars'] / 1e6):.1f} | {m['peak_rss_mb']:,} | "
                      f"{m['rss_after_load_mb']:,} | {m['entities']:,} | {m['events']:,} |", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
