"""Benchmark: local ``extract -j 2`` against ``extract --engine ray --workers 2`` on the same corpus.

Prints, in one run, documents/s and words/s of both engines and their ratio,
the CPU seconds the workers used (so the per-core throughput holds on a shared
machine too) and each worker's peak memory (RSS and private USS, sampled from
/proc every 0.2 s).

    python bench/ray.py                       # 10,000 documents of bench/corpus.py
    python bench/ray.py --docs 2000 --components langid
    python bench/ray.py --limit 400          # the first 400 documents of the 10,000 only

The corpus's ``lang`` field is dropped, so the pipeline identifies the
language itself. Components default to every installed one that builds in the
default order (the longest such prefix); the printout names them.
"""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
# this file is called ray.py: keep its folder off sys.path so that `import ray` finds Ray
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import argparse  # noqa: E402
import importlib.util  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

from healthcoop_nlp import DEFAULT_COMPONENTS, PipelineError, available_components, load  # noqa: E402
from healthcoop_nlp.batch import extract  # noqa: E402


def _corpus_module():
    spec = importlib.util.spec_from_file_location("bench_corpus", _HERE / "corpus.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(mod)
    return mod


def default_components() -> list[str]:
    """The longest prefix of the default order whose components are installed and build."""
    have = available_components()
    best: list[str] = []
    for n in range(1, len(DEFAULT_COMPONENTS) + 1):
        names = list(DEFAULT_COMPONENTS[:n])
        if any(c not in have for c in names):
            break
        try:
            load(names)
        except PipelineError:
            break
        best = names
    return best


class ProcSampler:
    """Peak RSS/USS and last CPU time of the processes a predicate picks, sampled from /proc."""

    def __init__(self, pick, every: float = 0.2):
        self.pick, self.every = pick, every
        self.peak_rss: dict[int, int] = {}
        self.peak_uss: dict[int, int] = {}
        self.cpu: dict[int, float] = {}
        self.names: dict[int, str] = {}
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._loop, daemon=True)
        self._tick = os.sysconf("SC_CLK_TCK")
        self.own_cpu = 0.0  # this sampler's CPU time, to take off the driver's

    def __enter__(self) -> "ProcSampler":
        self._t.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._t.join()

    def _loop(self) -> None:
        uid = os.getuid()
        while not self._stop.is_set():
            self.own_cpu = time.thread_time()
            for d in os.listdir("/proc"):
                if not d.isdigit():
                    continue
                pid = int(d)
                try:
                    if os.stat(f"/proc/{d}").st_uid != uid or not self.pick(pid):
                        continue
                    with open(f"/proc/{d}/stat") as f:
                        fields = f.read().rsplit(")", 1)[1].split()
                    self.cpu[pid] = (int(fields[11]) + int(fields[12])) / self._tick
                    self.names.setdefault(pid, _cmdline(pid)[:60])
                    rss = uss = 0
                    with open(f"/proc/{d}/smaps_rollup") as f:
                        for line in f:
                            k, _, v = line.partition(":")
                            if k == "Rss":
                                rss = int(v.split()[0]) * 1024
                            elif k in ("Private_Clean", "Private_Dirty"):
                                uss += int(v.split()[0]) * 1024
                    self.peak_rss[pid] = max(self.peak_rss.get(pid, 0), rss)
                    self.peak_uss[pid] = max(self.peak_uss.get(pid, 0), uss)
                except (OSError, ValueError, IndexError):
                    continue
            self.own_cpu = time.thread_time()
            self._stop.wait(self.every)


def _cmdline(pid: int) -> str:
    with open(f"/proc/{pid}/cmdline", "rb") as f:
        return f.read().replace(b"\0", b" ").decode("utf-8", "replace")


def _ppid(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[1])


def _mib(n: float) -> str:
    return f"{n / 2**20:,.0f} MiB"


class _SteadyDriver:
    """CPU of the driver's main thread per document: working on the workers' output blocks
    (the duplicate rule and writing the shards), and in all (waiting for blocks included:
    Ray's iterator polls at a rate set by time, not by documents).
    """

    def __init__(self, module):
        self.module, self.orig = module, module._collect
        self.cpu = 0.0        # working on the blocks (duplicate rule, writing)
        self.total_cpu = 0.0  # the main thread in all, waiting for blocks included
        self.docs = 0

        def collect(batches, shards, errw, summary):
            t0 = time.thread_time()

            def counted():
                for table in batches:
                    self.docs += table.num_rows
                    t = time.thread_time()
                    yield table  # the driver works on this block until it asks for the next
                    self.cpu += time.thread_time() - t
            try:
                self.orig(counted(), shards, errw, summary)
            finally:
                self.total_cpu += time.thread_time() - t0

        module._collect = collect

    def restore(self) -> None:
        self.module._collect = self.orig

    def ms_per_doc(self) -> float:
        return 1000 * self.cpu / self.docs if self.docs else float("nan")

    def total_ms_per_doc(self) -> float:
        return 1000 * self.total_cpu / self.docs if self.docs else float("nan")


def _driver_cpu() -> float:
    t = os.times()
    return t.user + t.system


def _report(name: str, summary, wall: float, sampler: ProcSampler, workers: int, driver_cpu: float) -> dict:
    cpu = sum(sampler.cpu.values())
    rss = max(sampler.peak_rss.values(), default=0)
    uss = max(sampler.peak_uss.values(), default=0)
    dps = summary.ok / summary.seconds
    wps = summary.words / summary.seconds
    per_cpu = summary.ok / cpu if cpu else float("nan")
    print(f"{name:<14} {summary.ok:>6} docs {summary.failed} failed  {summary.seconds:7.1f} s  "
          f"{dps:8.1f} docs/s  {wps:10,.0f} words/s  (wall with start-up {wall:.1f} s)")
    print(f"{'':<14} workers seen {len(sampler.cpu)} (asked {workers}), worker CPU {cpu:.1f} s -> "
          f"{per_cpu:.1f} docs per CPU-second, {summary.words / cpu if cpu else float('nan'):,.0f} words per "
          f"CPU-second; peak per worker RSS {_mib(rss)}, private {_mib(uss)}")
    print(f"{'':<14} driver CPU {driver_cpu:.1f} s -> {1000 * driver_cpu / summary.ok:.1f} CPU-ms per document "
          f"in all, start-up included")
    if len(sampler.cpu) != workers:
        print(f"{'':<14} processes: " + "; ".join(f"{p} {sampler.names.get(p, '?')} {sampler.cpu[p]:.1f} s"
                                                   for p in sorted(sampler.cpu)))
    return {"driver_cpu_s": driver_cpu, "docs_per_s": dps, "words_per_s": wps, "docs_per_cpu_s": per_cpu,
            "cpu_s": cpu,
            "peak_rss": rss, "peak_uss": uss, "seconds": summary.seconds, "wall": wall, "ok": summary.ok,
            "words": summary.words}


def project(r: dict, archive: float, nodes: list[int], cores: int) -> None:
    """The archive's cost from the measured Ray figures: linear in cores, capped by the one driver."""
    per_core = r["docs_per_cpu_s"]
    ms = r.get("steady_driver_ms_per_doc", float("nan"))
    ceiling = 1000 / ms if ms == ms and ms > 0 else float("inf")
    core_hours = archive / per_core / 3600
    print(f"\n{archive:,.0f} documents at {per_core:.1f} docs per worker CPU-second: {core_hours:,.1f} core-hours "
          f"(the driver's main thread absorbs {ceiling:,.0f} docs/s)")
    for n in nodes:
        workers = n * cores - 1  # one core of the head node for the driver
        rate = min(workers * per_core, ceiling)
        print(f"  {n:>3} node(s) x {cores} cores = {workers} workers: {rate:,.0f} docs/s, "
              f"{archive / rate / 3600:,.2f} h wall; memory {_mib(cores * r['peak_uss'])} private per node "
              f"({_mib(r['peak_uss'])}/worker) + shared")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--corpus", help="JSONL to use (default: out/bench_corpus_N.jsonl, built by bench/corpus.py)")
    ap.add_argument("--limit", type=int, help="use only the first N documents of the corpus (a quick run)")
    ap.add_argument("--components", help="comma-separated (default: the installed ones that build)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--json", help="also write the figures to this JSON file")
    ap.add_argument("--archive", type=float, default=1e7, help="documents of the archive to cost (default 1e7)")
    ap.add_argument("--nodes", default="1,4,16", help="node counts to cost, comma-separated")
    ap.add_argument("--cores", type=int, default=16, help="cores per node to cost")
    a = ap.parse_args()

    root = _HERE.parent
    corpus = Path(a.corpus) if a.corpus else root / "out" / f"bench_corpus_{a.docs}.jsonl"
    if not corpus.exists():
        _corpus_module().build_corpus(corpus, n_docs=a.docs, seed=0)
    components = a.components.split(",") if a.components else default_components()

    with tempfile.TemporaryDirectory(prefix="bench_ray_") as tmp:
        tmp = Path(tmp)
        inp = tmp / "input.jsonl"
        n = 0
        with open(corpus, encoding="utf-8") as f, open(inp, "w", encoding="utf-8") as g:
            for line in f:
                if a.limit is not None and n >= a.limit:
                    break
                d = json.loads(line)
                d.pop("lang", None)
                g.write(json.dumps(d, ensure_ascii=False) + "\n")
                n += 1
        print(f"corpus {corpus} ({n:,} documents, lang field dropped); components: "
              f"{','.join(components) or '(none)'}; {a.workers} workers; batch size {a.batch_size}; "
              f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")

        me = os.getpid()
        t0, c0 = time.perf_counter(), _driver_cpu()
        with ProcSampler(lambda pid: _ppid(pid) == me) as s_local:
            local = extract([str(inp)], tmp / "local.jsonl", components=components, n_process=a.workers,
                            batch_size=a.batch_size, progress=False)
        local_wall = time.perf_counter() - t0
        local_driver = _driver_cpu() - c0 - s_local.own_cpu

        import ray

        from healthcoop_nlp import distributed
        from healthcoop_nlp.distributed import extract_ray

        steady = _SteadyDriver(distributed)

        t0 = time.perf_counter()
        ray.init(num_cpus=a.workers, include_dashboard=False, logging_level="ERROR")
        c0 = _driver_cpu()
        with ProcSampler(lambda pid: "MapWorker" in _cmdline(pid)) as s_ray:
            dist = extract_ray([str(inp)], tmp / "ray", components=components, workers=a.workers,
                               batch_size=a.batch_size)
        ray_driver = _driver_cpu() - c0 - s_ray.own_cpu
        steady.restore()
        ray_wall = time.perf_counter() - t0
        ray.shutdown()

        print()
        r_local = _report(f"local -j {a.workers}", local, local_wall, s_local, a.workers, local_driver)
        r_ray = _report(f"ray {a.workers} workers", dist, ray_wall, s_ray, a.workers, ray_driver)
        r_ray["steady_driver_ms_per_doc"] = steady.ms_per_doc()
        r_ray["driver_main_thread_ms_per_doc"] = steady.total_ms_per_doc()
        print(f"{'':<14} driver main thread: {steady.ms_per_doc():.3f} CPU-ms per document on the output "
              f"(duplicate rule, writing), {steady.total_ms_per_doc():.3f} in all (waiting for blocks included)")
        ratio = r_ray["docs_per_s"] / r_local["docs_per_s"]
        print(f"\nray / local: {ratio:.2f}x documents/s, "
              f"{r_ray['words_per_s'] / r_local['words_per_s']:.2f}x words/s, "
              f"{r_ray['docs_per_cpu_s'] / r_local['docs_per_cpu_s']:.2f}x documents per worker CPU-second")
        project(r_ray, a.archive, [int(x) for x in a.nodes.split(",")], a.cores)
        if a.json:
            Path(a.json).write_text(json.dumps({"components": components, "docs": n, "workers": a.workers,
                                                "local": r_local, "ray": r_ray, "ratio_docs_per_s": ratio},
                                               indent=1))


if __name__ == "__main__":
    main()
