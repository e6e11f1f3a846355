"""``extract --engine ray`` gives the records and errors of the local ``extract``, and resumes without rewriting.

Runs on a local 2-CPU Ray cluster; skipped when Ray is not installed.
"""

from __future__ import annotations

import json
import random
import shutil
from collections import Counter
from pathlib import Path

import pytest

try:
    import ray
except ImportError:  # pragma: no cover - depends on the optional extra
    pytest.skip("Ray is not installed: pip install 'healthcoop-nlp[ray]' to run the --engine ray tests",
                allow_module_level=True)

from healthcoop_nlp import available_components
from healthcoop_nlp.batch import extract
from healthcoop_nlp.cli import main as cli_main
from healthcoop_nlp.distributed import extract_ray, plan_tasks, read_shards

MAX_CHARS = 2_000
N_DOCS = 300

FR = ["Le ministre de la Santé a reçu lundi une délégation de l'Organisation mondiale de la santé à Rabat.",
      "Les deux pays ont signé un accord de coopération sanitaire pour la formation des médecins.",
      "Un nouvel hôpital régional sera inauguré en mars à Dakar, selon le ministère.",
      "La campagne de vaccination contre la rougeole a été lancée dans trois provinces."]
AR = ["استقبل وزير الصحة يوم الاثنين وفدا من منظمة الصحة العالمية في الرباط.",
      "وقع البلدان اتفاقية تعاون في المجال الصحي لتكوين الأطباء.",
      "أطلقت الوزارة حملة تلقيح ضد الحصبة في ثلاث جهات."]


def _text(rng: random.Random) -> str:
    pool = FR if rng.random() < 0.6 else AR
    return " ".join(rng.choice(pool) for _ in range(rng.randint(1, 6)))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict:
    """300 documents: a JSONL file and a directory of .txt files, with bad ones of each kind."""
    root = tmp_path_factory.mktemp("corpus")
    rng = random.Random(7)
    bad: dict[str, str] = {}  # id -> words the error reason must contain
    lines: list[bytes] = []
    n_jsonl = 260
    for i in range(n_jsonl):
        doc_id = f"j{i:03d}"
        obj: dict = {"id": doc_id, "text": _text(rng)}
        if i % 3 == 0:
            obj["date"] = f"2024-{1 + i % 12:02d}"
        if i % 7 == 0:
            obj["lang"] = "fr"
        if i % 50 == 10:
            obj["text"] = "  \n "
            bad[doc_id] = "empty"
        elif i % 50 == 20:
            obj["text"] = "x" * (MAX_CHARS + 1)
            bad[doc_id] = "max-chars"
        line = json.dumps(obj, ensure_ascii=False).encode("utf-8")
        if i % 50 == 30:
            line = line.replace(b'"text": "', b'"text": "\xe9t\xe9 ')  # latin-1 bytes in a UTF-8 file
            bad[f"line {i + 1}"] = "UTF-8"
        lines.append(line + b"\n")
    (root / "docs.jsonl").write_bytes(b"".join(lines))
    txt = root / "txt"
    txt.mkdir()
    for i in range(N_DOCS - n_jsonl):
        doc_id = f"t{i:03d}"
        body = ("date 2023-11 \n" if i % 2 else "") + _text(rng)
        data = body.encode("utf-8")
        if i == 5:
            data = b"date 2023-11 \n  \n"
            bad[doc_id] = "empty"
        elif i == 6:
            data = "Coopération sanitaire à Tunis.".encode("latin-1")
            bad[doc_id] = "UTF-8"
        elif i == 7:
            data = ("y" * (MAX_CHARS + 5)).encode("utf-8")
            bad[doc_id] = "max-chars"
        (txt / f"{doc_id}.txt").write_bytes(data)
    return {"inputs": [str(root / "docs.jsonl"), str(txt)], "bad": bad, "root": root}


@pytest.fixture(scope="module")
def components() -> list[str]:
    """The cheap components that exist now (langid when installed): both runs use the same list."""
    return [c for c in ("langid",) if c in available_components()]


@pytest.fixture(scope="module")
def ray_cluster():
    if ray.is_initialized():
        ray.shutdown()
    ray.init(num_cpus=2, include_dashboard=False, logging_level="WARNING")
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def local_run(corpus, components, tmp_path_factory):
    out = tmp_path_factory.mktemp("local") / "out.jsonl"
    summary = extract(corpus["inputs"], out, components=components, max_chars=MAX_CHARS, progress=False)
    records = {d["id"]: d for d in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    err_file = out.with_name("out.errors.jsonl")
    errors = [json.loads(x) for x in err_file.read_text(encoding="utf-8").splitlines()]
    return summary, records, errors


def _errors(out_dir: Path) -> list[dict]:
    return [json.loads(x) for p in sorted(out_dir.glob("errors-*.jsonl"))
            for x in p.read_text(encoding="utf-8").splitlines()]


def _key(e: dict) -> str:
    return json.dumps(e, sort_keys=True)


@pytest.fixture(scope="module")
def ray_run(corpus, components, ray_cluster, tmp_path_factory):
    out_dir = tmp_path_factory.mktemp("ray") / "out"
    # small read tasks and shards, so that documents cross task and shard boundaries
    summary = extract_ray(corpus["inputs"], out_dir, components=components, workers=2, max_chars=MAX_CHARS,
                          chunk_bytes=4_000, shard_records=64)
    return summary, out_dir, _errors(out_dir)


def test_plan_covers_every_line_once(corpus):
    tasks = plan_tasks(corpus["inputs"], chunk_bytes=4_000)
    jsonl = [t for t in tasks if t.kind == "jsonl"]
    assert len(jsonl) > 5
    size = Path(corpus["inputs"][0]).stat().st_size
    assert [t.start for t in jsonl] == [0] + [t.end for t in jsonl[:-1]] and jsonl[-1].end == size
    assert sum(len(t.paths) for t in tasks if t.kind == "text") == N_DOCS - 260
    # a small input is still cut for every worker (the default chunk is 4 MB)
    assert len(plan_tasks(corpus["inputs"], min_tasks=8)) >= 7


def test_every_good_document_once_and_equal_to_local(corpus, local_run, ray_run):
    local_summary, local_records, _ = local_run
    summary, out_dir, _ = ray_run
    records = list(read_shards(out_dir))
    counts = Counter(d["id"] for d in records)
    assert counts and max(counts.values()) == 1, [i for i, n in counts.items() if n > 1]
    assert len(list(out_dir.glob("part-*.jsonl"))) > 1
    assert set(counts) == set(local_records)
    assert len(records) + summary.failed == N_DOCS
    for d in records:
        assert d == local_records[d["id"]], d["id"]
    assert (summary.ok, summary.failed, summary.words) == (local_summary.ok, local_summary.failed,
                                                           local_summary.words)


def test_every_bad_document_reported_with_its_reason(corpus, local_run, ray_run):
    _, _, local_errors = local_run
    summary, _, errors = ray_run
    assert sorted(map(_key, errors)) == sorted(map(_key, local_errors))
    assert len(errors) == len(corpus["bad"]) == summary.failed
    by_id = {e["id"]: e for e in errors}
    by_line = {f"line {e['line']}": e for e in errors if "line" in e}
    for key, word in corpus["bad"].items():
        e = by_id.get(key) or by_line[key]
        assert word in e["reason"], (key, e)
        assert e["source"]


def test_resume_writes_nothing_new(corpus, components, ray_run, capsys):
    summary, out_dir, errors = ray_run
    before = {p.name: p.read_bytes() for p in out_dir.glob("part-*")}
    status = cli_main(["extract", *corpus["inputs"], "--engine", "ray", "--workers", "2", "--resume",
                       "--output", str(out_dir), "--max-chars", str(MAX_CHARS), "--no-progress",
                       "--components", ",".join(components) or ","])
    assert status == 1  # the bad documents fail again
    after = {p.name: p.read_bytes() for p in out_dir.glob("part-*")}
    assert after == before
    assert f"0 documents ok, {summary.failed} failed, {summary.ok} skipped" in capsys.readouterr().err
    assert sorted(map(_key, _errors(out_dir))) == sorted(map(_key, errors))


def test_resume_after_a_kill_rewrites_only_the_cut_record(corpus, components, local_run, ray_run, tmp_path):
    _, local_records, _ = local_run
    first, done_dir, _ = ray_run
    out_dir = tmp_path / "out"
    shutil.copytree(done_dir, out_dir)
    # a kill in the middle of writing the last shard: its last line is cut short
    last = sorted(out_dir.glob("part-*.jsonl"))[-1]
    data = last.read_bytes()
    cut_id = json.loads(data.splitlines()[-1])["id"]
    last.write_bytes(data[:-20])
    second = extract_ray(corpus["inputs"], out_dir, components=components, workers=2, max_chars=MAX_CHARS,
                         resume=True)
    assert (second.ok, second.skipped) == (1, first.ok - 1)
    ids = Counter(d["id"] for d in read_shards(out_dir))
    assert set(ids) == set(local_records) and max(ids.values()) == 1
    assert all(line.endswith(b"\n") for line in last.read_bytes().splitlines(keepends=True))
    assert cut_id not in {json.loads(x)["id"] for x in last.read_bytes().splitlines()}


def test_parquet_shards_hold_the_same_records(corpus, components, ray_cluster, local_run, tmp_path):
    _, local_records, _ = local_run
    out_dir = tmp_path / "pq"
    summary = extract_ray(corpus["inputs"], out_dir, components=components, workers=2, max_chars=MAX_CHARS,
                          fmt="parquet", shard_records=100)
    assert sorted(p.suffix for p in out_dir.glob("part-*")) == [".parquet"] * 3
    records = list(read_shards(out_dir))
    assert summary.ok == len(records) == len(local_records)
    assert {d["id"]: d for d in records} == local_records


def test_refuses_an_output_dir_with_shards_without_resume(corpus, ray_run):
    from healthcoop_nlp.io import InputError

    _, out_dir, _ = ray_run
    with pytest.raises(InputError, match="--resume"):
        extract_ray(corpus["inputs"], out_dir, components=[], workers=2)


@pytest.mark.slow
def test_full_pipeline_equal_to_local(corpus, ray_cluster, tmp_path):
    """Every installed component (spaCy and trained models load): same records as the local run."""
    local = tmp_path / "local.jsonl"
    extract(corpus["inputs"], local, max_chars=MAX_CHARS, progress=False)
    summary = extract_ray(corpus["inputs"], tmp_path / "ray", workers=2, max_chars=MAX_CHARS)
    local_records = {d["id"]: d for d in map(json.loads, local.read_text(encoding="utf-8").splitlines())}
    records = list(read_shards(tmp_path / "ray"))
    assert summary.ok == len(records) == len(local_records)
    assert {d["id"]: d for d in records} == local_records
