"""The extract command: every document gives one record or one error, and resume never duplicates."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from healthcoop_nlp.batch import extract

SLOW_COMPONENT = '''
import time

class Slow:
    """Sleeps a little per document, so a run can be killed mid-batch."""
    name = "slow"
    requires = ("text",)
    provides = ("lang",)

    def __call__(self, record):
        time.sleep(0.02)
        record.lang = "fr"
        return record
'''


def _cli(args, env=None, **kw):
    return subprocess.run([sys.executable, "-m", "healthcoop_nlp", *args], capture_output=True, text=True,
                          env=env, **kw)


def _lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def mixed_inputs(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "good1.txt").write_text(" date 2024-03 Rabat, lundi.", encoding="utf-8")
    (d / "bad_bytes.txt").write_bytes(b"caf\xe9")
    (d / "empty.txt").write_text("", encoding="utf-8")
    (d / "docs.jsonl").write_text('{"id": "j1", "text": "Bonjour"}\nnot json\n{"id": "j1", "text": "again"}\n',
                                  encoding="utf-8")
    return d


def test_extract_reports_every_bad_document(tmp_path, mixed_inputs):
    out = tmp_path / "out.jsonl"
    r = _cli(["extract", str(mixed_inputs), "-o", str(out), "--components", "", "--no-progress", "--validate"])
    assert r.returncode == 1, r.stderr
    assert [x["id"] for x in _lines(out)] == ["j1", "good1"]
    errs = _lines(tmp_path / "out.errors.jsonl")
    by = {(Path(e["source"]).name, e.get("line")): e for e in errs}
    assert "UTF-8" in by[("bad_bytes.txt", None)]["reason"] and by[("bad_bytes.txt", None)]["id"] == "bad_bytes"
    assert "empty" in by[("empty.txt", None)]["reason"]
    assert "not valid JSON" in by[("docs.jsonl", 2)]["reason"]
    assert "duplicate id" in next(e for e in errs if e["id"] == "j1")["reason"]
    assert len(errs) == 4
    assert "2 documents ok, 4 failed" in r.stderr
    assert "docs.jsonl:2" in r.stderr  # the message names file and line


def test_all_good_exits_zero_and_resume_skips(tmp_path):
    docs = tmp_path / "d.jsonl"
    docs.write_text("".join(json.dumps({"id": f"d{i}", "text": f"texte {i}"}) + "\n" for i in range(10)))
    out = tmp_path / "o.jsonl"
    s = extract([str(docs)], out, components=[], progress=False)
    assert (s.ok, s.failed) == (10, 0)
    assert not (tmp_path / "o.errors.jsonl").exists()
    s2 = extract([str(docs)], out, components=[], progress=False, resume=True)
    assert (s2.ok, s2.skipped) == (0, 10)
    assert len(_lines(out)) == 10


def test_stdin_jsonl(tmp_path):
    r = _cli(["extract", "-", "--components", "", "--no-progress"], input='{"id": "s1", "text": "x"}\n')
    assert r.returncode == 0
    assert json.loads(r.stdout)["id"] == "s1"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_kill_9_then_resume_gives_exactly_one_record_per_document(tmp_path, jobs):
    (tmp_path / "slowcomp.py").write_text(SLOW_COMPONENT, encoding="utf-8")
    n = 300
    docs = tmp_path / "docs.jsonl"
    docs.write_text("".join(json.dumps({"id": f"d{i:03d}", "text": f"texte {i}"}) + "\n" for i in range(n)))
    out = tmp_path / "out.jsonl"
    env = dict(os.environ, PYTHONPATH=str(tmp_path) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    args = [sys.executable, "-m", "healthcoop_nlp", "extract", str(docs), "-o", str(out), "-j", jobs,
            "--batch-size", "4", "--components", "slowcomp:Slow", "--no-progress"]
    p = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline:
        if out.exists() and out.read_bytes().count(b"\n") >= 40:
            break
        if p.poll() is not None:
            pytest.fail("the run ended before it could be killed")
        time.sleep(0.05)
    os.killpg(p.pid, signal.SIGKILL)
    p.wait()
    written = out.read_bytes().count(b"\n")
    assert 0 < written < n
    r = subprocess.run(args + ["--resume"], env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    ids = [x["id"] for x in _lines(out)]
    assert sorted(ids) == [f"d{i:03d}" for i in range(n)]
    assert len(ids) == len(set(ids)) == n


def test_unsupported_language_is_an_error_unless_skipped(tmp_path):
    pytest.importorskip("healthcoop_nlp.ner.fr")
    docs = tmp_path / "d.jsonl"
    docs.write_text('{"id": "en1", "text": "The minister met the WHO delegation in Geneva.", "lang": "en"}\n')
    out = tmp_path / "o.jsonl"
    r = _cli(["extract", str(docs), "-o", str(out), "--components", "ner", "--no-progress"])
    assert r.returncode == 1
    err = _lines(tmp_path / "o.errors.jsonl")[0]
    assert err["id"] == "en1" and "language 'en'" in err["reason"] and "--skip-unsupported" in err["reason"]
    r = _cli(["extract", str(docs), "-o", str(out), "--components", "ner", "--no-progress", "--skip-unsupported"])
    assert r.returncode == 0
    rec = _lines(out)[0]
    assert rec["lang"] == "en" and rec["entities"] == []
