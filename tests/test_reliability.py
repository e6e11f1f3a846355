"""Issue #18: nothing lost, nothing hung. One test per case of the issue, each building its
own input; no statistical model is loaded (cases 2 and 14, language ID, are tested in
tests/langid/). Exit statuses: 0 all documents ok, 1 some documents failed, 2 nothing done
(bad arguments or inputs), 3 output not writable, 4 a worker died."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from healthcoop_nlp.batch import EXIT_STATUS, BatchStopped, extract
from healthcoop_nlp.io import DocumentError, InputError, json_line, read_documents, read_records
from healthcoop_nlp.io.errors import UnwritableRecord
from healthcoop_nlp.ner.component import NerComponent
from healthcoop_nlp.pipeline import Pipeline, WorkerDied
from healthcoop_nlp.record import Argument, Entity, Event, Mention, Record, Span
from healthcoop_nlp.windows import windows
from healthcoop_nlp.schema import SchemaError, validate_record

KILLER = '''
import os
import signal


class Killer:
    """Kills its own process on the document "die" once (a marker file remembers it),
    as the OOM killer or a segfault in a native library would."""
    name = "killer"
    requires = ("text",)
    provides = ("lang",)

    def __call__(self, record):
        marker = os.environ["KILLER_MARKER"]
        if record.text == "die" and not os.path.exists(marker):
            open(marker, "w").close()
            os.kill(os.getpid(), signal.SIGKILL)
        record.lang = "fr"
        return record
'''


class Tokens:
    """A stand-in tagger component: every space-separated token starting with a capital is
    a LOC mention, as the text it is given shows it."""

    name = "tokens"
    requires = ("text",)
    provides = ("mentions",)
    seen: list[str] = []

    def __call__(self, r: Record) -> Record:
        Tokens.seen.append(r.text)
        r.entities = [Entity(f"m{i}", "LOC", [Mention(m.start(), m.end(), m.group())], name=m.group())
                      for i, m in enumerate(re.finditer(r"[A-ZÉ]\S*", r.text))]
        return r


class Lang:
    """Identifies every text as French; notes the longest text it saw."""

    name = "lang"
    requires = ("text",)
    provides = ("lang",)
    longest = 0

    def __call__(self, r: Record) -> Record:
        Lang.longest = max(Lang.longest, len(r.text))
        r.lang = "fr"
        return r


class OneEvent:
    """Fails on a text over 1,000 characters (a quadratic step would be slow there); one
    meeting per text whose participant is its first entity."""

    name = "one_event"
    requires = ("mentions",)
    provides = ("events",)

    def __call__(self, r: Record) -> Record:
        assert len(r.text) <= 1_000
        e = r.entities[0]
        m = e.mentions[0]
        r.events = [Event("ev1", "Contact.Meet", [Span(m.start, m.end, m.text)], [Argument("Participant", e.id)])]
        return r


class CapsTagger:
    """A stand-in NER tagger that refuses texts over its limit (as spaCy does over 1,000,000)."""

    def __init__(self, limit: int):
        self.limit = limit
        self.calls = 0

    def tag(self, record: Record) -> list[tuple[str, Mention]]:
        self.calls += 1
        assert len(record.text) <= self.limit, f"E088: text of {len(record.text)} characters"
        return [("LOC", Mention(m.start(), m.end(), m.group())) for m in re.finditer(r"[A-Z]\w+", record.text)]


def _cli(args: list[str], env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "healthcoop_nlp", *args], capture_output=True, text=True,
                          env=env, timeout=kw.pop("timeout", 120), **kw)


def _extract(args: list[str], **kw) -> subprocess.CompletedProcess:
    return _cli(["extract", *args, "--components", "", "--no-progress"], **kw)


def _jsonl(path: Path, docs: list[dict]) -> Path:
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    return path


def _lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def _record_dict(text: str, **kw) -> dict:
    d = {"id": "r1", "source": None, "date": "2024-03", "lang": "fr", "dialect": None, "text": text,
         "entities": [], "events": []}
    d.update(kw)
    return d


# -- 1 -------------------------------------------------------------------------------
def test_01_output_that_is_an_input_is_refused_and_the_input_untouched(tmp_path):
    src = _jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": "Rabat"}])
    before = src.read_bytes()
    r = _extract([str(src), "-o", str(src)])
    assert r.returncode == 2 and "overwrite the input" in r.stderr, r.stderr
    assert src.read_bytes() == before
    txt = tmp_path / "doc.txt"
    txt.write_text("Rabat, lundi.", encoding="utf-8")
    r = _extract([str(txt), "-o", str(tmp_path / "." / "doc.txt")])
    assert r.returncode == 2 and txt.read_text(encoding="utf-8") == "Rabat, lundi."
    # the errors file is an output too
    errs = _jsonl(tmp_path / "out.errors.jsonl", [{"id": "a", "text": "Rabat"}])
    r = _extract([str(errs), "-o", str(tmp_path / "out.jsonl")])
    assert r.returncode == 2 and errs.read_bytes() == before and not (tmp_path / "out.jsonl").exists()


# -- 3 -------------------------------------------------------------------------------
def test_03_output_inside_an_input_folder_is_refused(tmp_path):
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    _jsonl(d / "docs.jsonl", [{"id": f"d{i}", "text": "texte"} for i in range(3)])
    r = _extract([str(d), "-o", str(d / "sub" / "out.jsonl")])
    assert r.returncode == 2 and "inside the input folder" in r.stderr, r.stderr
    assert not (d / "sub" / "out.jsonl").exists()
    r = _extract([str(d), "-o", str(tmp_path / "out.jsonl")])
    assert r.returncode == 0 and len(_lines(tmp_path / "out.jsonl")) == 3


# -- 4 -------------------------------------------------------------------------------
def test_04_missing_input_is_found_before_anything_is_written(tmp_path):
    many = tmp_path / "many"
    many.mkdir()
    for i in range(40):
        (many / f"d{i:02d}.txt").write_text(f"Texte {i}", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    r = _extract([str(many), str(tmp_path / "nonexistent" / "x.txt"), "-o", str(out)])
    assert r.returncode == 2 and "nonexistent" in r.stderr and "nothing was written" in r.stderr, r.stderr
    assert not out.exists()
    r = _extract([str(many), "-o", str(out)])
    assert r.returncode == 0 and len(_lines(out)) == 40


# -- 5 -------------------------------------------------------------------------------
def test_05_lone_surrogate_is_one_error_line_and_the_batch_goes_on(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "text": "un"}\n{"id": "\\ud800", "text": "deux"}\n'
                   '{"id": "c", "text": "trois \\udc00"}\n{"id": "d", "text": "quatre"}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    r = _extract([str(src), "-o", str(out)])
    assert r.returncode == 1, r.stderr
    assert [x["id"] for x in _lines(out)] == ["a", "d"]
    errs = _lines(tmp_path / "out.errors.jsonl")
    assert [e["line"] for e in errs] == [2, 3] and all("surrogate" in e["reason"] for e in errs)
    assert "2 documents ok, 2 failed" in r.stderr
    # a record that a component filled with a broken string fails alone, nothing half-written
    with pytest.raises(UnwritableRecord, match="surrogate"):
        json_line(Record(id="x", text="t", source="\ud800"))
    assert "\\ud800" in json_line(DocumentError(id="\ud800", source=None, reason="r"), escape_invalid=True)


# -- 6 -------------------------------------------------------------------------------
def test_06_a_killed_worker_stops_the_run_at_once_and_resume_completes_it(tmp_path):
    (tmp_path / "killer.py").write_text(KILLER, encoding="utf-8")
    texts = [f"texte {i}" for i in range(30)]
    texts[17] = "die"
    src = _jsonl(tmp_path / "in.jsonl", [{"id": f"d{i:02d}", "text": t} for i, t in enumerate(texts)])
    out = tmp_path / "out.jsonl"
    env = dict(os.environ, KILLER_MARKER=str(tmp_path / "killed"),
               PYTHONPATH=str(tmp_path) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    args = ["extract", str(src), "-o", str(out), "-j", "2", "--batch-size", "2", "--components", "killer:Killer",
            "--no-progress"]
    r = _cli(args, env=env, timeout=60)   # multiprocessing.Pool waited here forever
    assert r.returncode == 4, r.stderr
    assert "worker process died" in r.stderr and "--resume" in r.stderr and "stopped:" in r.stderr
    written = [x["id"] for x in _lines(out)]
    assert len(written) < 30 and written == sorted(written)
    r = _cli(args + ["--resume"], env=env, timeout=60)
    assert r.returncode == 0, r.stderr
    ids = [x["id"] for x in _lines(out)]
    assert sorted(ids) == [f"d{i:02d}" for i in range(30)] and len(set(ids)) == 30
    assert 4 in EXIT_STATUS


def test_06_api_pipe_raises_worker_died(tmp_path, monkeypatch):
    (tmp_path / "killer.py").write_text(KILLER, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("KILLER_MARKER", str(tmp_path / "killed"))
    nlp = Pipeline(["killer:Killer"])
    got = []
    with pytest.raises(WorkerDied, match="--resume"):
        for r in nlp.pipe(["a", "b", "die", "c"] * 3, batch_size=1, n_process=2, errors="return"):
            got.append(r.text)
    assert "die" not in got


# -- 7 -------------------------------------------------------------------------------
def test_07_unwritable_output_exits_3_without_a_traceback(tmp_path):
    src = _jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": "un"}])
    (tmp_path / "adir").mkdir()
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    for out in (tmp_path / "adir", tmp_path / "afile" / "out.jsonl"):
        r = _extract([str(src), "-o", str(out)])
        assert r.returncode == 3, (out, r.stderr)
        assert "Traceback" not in r.stderr and "cannot write" in r.stderr
    if os.geteuid() != 0:   # root writes anywhere
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(0o500)
        r = _extract([str(src), "-o", str(ro / "out.jsonl")])
        assert r.returncode == 3 and "permission denied" in r.stderr
    # evaluate --report into a path whose parent is a file
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(_record_dict("Rabat")) + "\n", encoding="utf-8")
    r = _cli(["evaluate", "--gold", str(gold), "--pred", str(gold), "--bootstrap", "0",
              "--report", str(tmp_path / "afile" / "rep")])
    assert r.returncode == 3 and "Traceback" not in r.stderr and "cannot write the report" in r.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_07_output_that_fails_mid_run_stops_with_a_summary(tmp_path):
    src = _jsonl(tmp_path / "in.jsonl", [{"id": f"d{i}", "text": "texte"} for i in range(5)])
    out = tmp_path / "out.jsonl"
    out.symlink_to("/dev/full")   # every write: no space left on the device
    r = _extract([str(src), "-o", str(out)])
    assert r.returncode == 3, r.stderr
    assert "no space left" in r.stderr and "stopped:" in r.stderr and "Traceback" not in r.stderr
    with pytest.raises(BatchStopped) as e:
        extract([str(src)], out, components=[], progress=False)
    assert e.value.status == 3 and e.value.summary.stopped


class ReturnsNone:
    name = "returns_none"
    requires = ("text",)
    provides = ("lang",)

    def __call__(self, r: Record) -> None:
        return None


def test_07_a_bug_in_the_machinery_stops_with_a_summary_and_status_5(tmp_path, monkeypatch):
    src = _jsonl(tmp_path / "in.jsonl", [{"id": f"d{i}", "text": "texte"} for i in range(3)])
    out = tmp_path / "out.jsonl"
    # a component that returns nothing fails its document instead of losing it
    s = extract([str(src)], out, components=[f"{__name__}:ReturnsNone"], progress=False)
    assert (s.ok, s.failed) == (0, 3) and "returned NoneType" in s.errors[0].reason
    from healthcoop_nlp.io import JsonlWriter

    def broken(self, item):
        raise RuntimeError("bug")

    monkeypatch.setattr(JsonlWriter, "write", broken)
    with pytest.raises(BatchStopped) as e:
        extract([str(src)], tmp_path / "out2.jsonl", components=[], progress=False)
    assert e.value.status == 5 and "RuntimeError: bug" in str(e.value)


# -- 8 -------------------------------------------------------------------------------
def test_08_validate_and_evaluate_name_unreadable_files_and_go_on(tmp_path):
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps(_record_dict("Rabat")) + "\n", encoding="utf-8")
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(json.dumps(_record_dict("Genève"), ensure_ascii=False).encode("latin-1") + b"\n")
    r = _cli(["validate", str(tmp_path / "missing.jsonl"), str(latin), str(good)])
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert "missing.jsonl: cannot read" in r.stderr and f"{latin}:1: not valid UTF-8" in r.stderr
    assert "1 valid, 1 invalid records, 1 unreadable file(s)" in r.stdout
    r = _cli(["evaluate", "--gold", str(good), "--pred", str(latin), "--bootstrap", "0"])
    assert r.returncode == 2 and f"{latin}:1: not valid UTF-8" in r.stderr and "Traceback" not in r.stderr
    with pytest.raises(InputError, match="cannot read"):
        list(read_records(tmp_path))


# -- 9 -------------------------------------------------------------------------------
@pytest.mark.parametrize("n_process", [1, 2])
def test_09_pipe_returns_an_error_in_place_of_an_item_that_is_not_a_document(n_process):
    nlp = Pipeline([f"{__name__}:Tokens"])
    items = ["Rabat un", None, "Fès deux", b"bytes", "", "Tanger trois"]
    out = list(nlp.pipe(items, batch_size=4, n_process=n_process, errors="return"))
    assert len(out) == 6
    assert [r.entities[0].name for r in (out[0], out[2], out[5])] == ["Rabat", "Fès", "Tanger"]
    for i, what in ((1, "NoneType"), (3, "bytes"), (4, "empty text")):
        assert isinstance(out[i], DocumentError) and what in out[i].reason and out[i].id == f"doc{i}"
    seen = []
    with pytest.raises(RuntimeError, match="doc1"):
        for r in nlp.pipe(items, batch_size=4):
            seen.append(r.id)
    assert seen == ["doc0"]   # the good item before the bad one, in its batch, is yielded


# -- 10 ------------------------------------------------------------------------------
def test_10_reports_escape_html_from_documents_and_baselines():
    from healthcoop_nlp.scoring.evaluate import evaluate
    from healthcoop_nlp.report.html import render_html
    from healthcoop_nlp.report.render import to_markdown

    text = 'Rabat <img src=x onerror="alert(1)"> et Fès.'
    gold = Record(id="d<b>1", text=text, lang="fr", date="2024-03",
                  entities=[Entity("e1", "LOC", [Mention(0, 5, "Rabat")], name="Rabat"),
                            Entity("e2", "LOC", [Mention(text.index("Fès"), text.index("Fès") + 3, "Fès")],
                                   name="Fès")])
    pred = copy.deepcopy(gold)
    pred.entities = pred.entities[:1]
    report = evaluate([gold], [pred], bootstrap=0)
    md = to_markdown(report)
    assert "<img" not in md and "&lt;img" in md and "<b>" not in md
    baseline = copy.deepcopy(report)
    payload = "<script>alert('baseline')</script>"
    baseline["errors"].append({**baseline["errors"][0], "start": payload, "end": payload})
    for e in baseline["errors"]:
        e["kind"] = "spurious"   # errors the current run does not have: listed as fixed
    page = render_html(report, baseline)
    assert payload not in page and "&lt;script&gt;alert(" in page


# -- 11 ------------------------------------------------------------------------------
@pytest.mark.parametrize("change, message", [
    (lambda d: d["entities"][0]["mentions"][0].update(start=2, end=2, text=""), "empty"),
    (lambda d: d["entities"][0]["mentions"][0].update(start=3, end=1, text=""), "reversed"),
    (lambda d: d["entities"][0]["mentions"][0].update(end=99), "ends after the end of the text"),
    (lambda d: d["entities"].append(copy.deepcopy(d["entities"][0])), "used twice"),
    (lambda d: d.update(date="mars 2024"), "YYYY-MM"),
    (lambda d: d.update(date="2024-02-30"), "calendar"),
    (lambda d: d["entities"][0]["mentions"][0].update(value="the 5th"), "ISO 8601"),
])
def test_11_validate_rejects_what_evaluate_cannot_score(change, message):
    d = _record_dict("Rabat", entities=[{"id": "e1", "label": "LOC", "mentions": [{"start": 0, "end": 5,
                                                                                    "text": "Rabat"}]}])
    validate_record(d)
    change(d)
    with pytest.raises(SchemaError, match=message):
        validate_record(d)


# -- 12 ------------------------------------------------------------------------------
def test_12_bidi_marks_and_nul_never_reach_the_taggers_and_offsets_stay_raw():
    raw = "Le ministère de la Santé\u202c a reçu à \u200fRabat\x00 le Directeur."
    nlp = Pipeline([f"{__name__}:Tokens"])
    Tokens.seen.clear()
    for rec in (nlp(raw, id="a"), next(iter(nlp.pipe([raw])))):
        assert not re.search("[\x00\u200e\u200f\u202a-\u202e]", Tokens.seen[-1])
        assert rec.text == raw
        assert [e.name for e in rec.entities] == ["Le", "Santé", "Rabat", "Directeur."]
        for e in rec.entities:
            m = e.mentions[0]
            assert raw[m.start:m.end] == m.text
    # the record the component saw had the raw text's length: no offset moved
    assert len(Tokens.seen[-1]) == len(raw)


# -- 13 ------------------------------------------------------------------------------
def test_13_ner_tags_long_texts_in_bounded_windows_with_exact_offsets():
    paragraph = ("La délégation de Rabat a rencontré le ministre à Genève. " * 30).strip()
    shapes = {
        "paragraphs": "\n\n".join([paragraph] * 40),
        "one line": " ".join([paragraph] * 40),
        "no space": "x" * 25_000 + " Rabat " + "y" * 25_000,
    }
    for name, text in shapes.items():
        comp = NerComponent(window=2_000)
        comp._taggers["fr"] = tagger = CapsTagger(limit=2_000)
        rec = comp(Record(id=name, text=text, lang="fr"))
        expected = [(m.start(), m.end()) for m in re.finditer(r"[A-Z]\w+", text)
                    if name != "no space" or m.group() == "Rabat"]
        got = [(e.mentions[0].start, e.mentions[0].end) for e in rec.entities]
        if name == "no space":
            got = [g for g in got if text[g[0]:g[1]] == "Rabat"]
        assert got == expected, name
        assert all(text[e.mentions[0].start:e.mentions[0].end] == e.mentions[0].text for e in rec.entities)
        assert tagger.calls >= len(text) // 2_000
        spans = windows(text, 2_000)
        assert spans[0][0] == 0 and spans[-1][1] == len(text) and all(b - a <= 2_000 for a, b in spans)
    # a document over spaCy's 1,000,000 characters goes through once --max-chars allows it
    comp = NerComponent(window=10_000)
    comp._taggers["fr"] = CapsTagger(limit=10_000)
    big = ("Une phrase de Rabat. " * 60_000)
    assert len(comp.pipe([Record(id="big", text=big, lang="fr")])[0].entities) == 120_000


def test_13_a_long_document_goes_through_every_component_in_windows():
    text = "\n\n".join(f"Paragraphe {i} : la délégation de Rabat{i} a rencontré Fès{i}." for i in range(400))
    nlp = Pipeline([f"{__name__}:Lang", f"{__name__}:Tokens", f"{__name__}:OneEvent"], window=1_000)
    Lang.longest = 0
    for rec in (nlp(text), next(iter(nlp.pipe([text], errors="raise")))):
        assert Lang.longest <= 3 * 1_000 + 4   # the language is found on a bounded sample
        names = [e.name for e in rec.entities]
        assert names == [m.group() for m in re.finditer(r"[A-ZÉ]\S*", text)]
        ids = [e.id for e in rec.entities]
        assert len(set(ids)) == len(ids) and ids[:2] == ["m0", "m1"]
        for e in rec.entities:
            assert text[e.mentions[0].start:e.mentions[0].end] == e.mentions[0].text
        assert len(rec.events) == len(windows(text, 1_000)) and len({ev.id for ev in rec.events}) == len(rec.events)
        by_id = {e.id: e for e in rec.entities}
        for ev in rec.events:   # arguments follow their renumbered entities
            assert by_id[ev.arguments[0].entity].mentions[0].start == ev.triggers[0].start
        validate_record(rec.to_dict())


# -- 15 ------------------------------------------------------------------------------
def test_15_messages_say_what_is_wrong(tmp_path):
    a = _jsonl(tmp_path / "a.jsonl", [{"id": "same", "text": "un"}])
    b = tmp_path / "b.jsonl"
    b.write_text('{"id": "x", "text": "deux"}\n{"id": "same", "text": "trois"}\n{"id": "y", "text": "quat\n',
                 encoding="utf-8")
    out = tmp_path / "out.jsonl"
    r = _extract([str(a), str(b), "-o", str(out)])
    assert r.returncode == 1
    errs = _lines(tmp_path / "out.errors.jsonl")
    dup = next(e for e in errs if e["id"] == "same")
    assert dup["source"] == str(b) and dup["line"] == 2
    assert f"{a}:1 already has id 'same'" in dup["reason"] and f"({b}:2) is dropped" in dup["reason"]
    broken = next(e for e in errs if e.get("line") == 3)
    assert "at at" not in broken["reason"] and "column" in broken["reason"]
    with pytest.raises(ValueError, match="empty text"):
        Pipeline([])("  ")
    d = _record_dict("Rabat", entities=[{"id": "e1", "label": "LOC",
                                         "mentions": [{"start": 4, "end": 2, "text": ""}]}])
    with pytest.raises(SchemaError, match="reversed offsets"):
        validate_record(d)


# -- 16 ------------------------------------------------------------------------------
def test_16_ids_and_dates_are_type_checked(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": {"a": 1}, "text": "un"}\n{"id": true, "text": "deux"}\n{"id": 7, "text": "trois"}\n'
                   '{"id": "d", "text": "quatre", "date": "9999-12"}\n{"id": "e", "text": "cinq", "date": "mars"}\n',
                   encoding="utf-8")
    items = list(read_documents([str(src)]))
    assert [type(i).__name__ for i in items] == ["DocumentError", "DocumentError", "Record", "DocumentError",
                                                 "DocumentError"]
    assert "dict" in items[0].reason and "bool" in items[1].reason and items[2].id == "7"
    assert "year" in items[3].reason and "YYYY-MM" in items[4].reason
    nlp = Pipeline([])
    assert nlp("texte", id=5).id == "5"
    with pytest.raises(TypeError, match="id"):
        nlp("texte", id=["x"])
    with pytest.raises(TypeError, match="date"):
        nlp("texte", date=202403)
    with pytest.raises(ValueError, match="year"):
        nlp("texte", date="9999-12-31")
    assert nlp("texte", date="2024-03-18").date == "2024-03-18"
