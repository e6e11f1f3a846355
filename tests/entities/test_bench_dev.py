"""bench/dev.py (the dev benchmark command) on small self-written records, without extraction."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from healthcoop_nlp.record import Entity, Mention, Record

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def dev():
    spec = importlib.util.spec_from_file_location("bench_dev", ROOT / "bench" / "dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _record(rid: str, lang: str, text: str, ents: list[tuple[str, list[str], str | None]]) -> Record:
    out, pos = [], 0
    for n, (label, surfaces, title) in enumerate(ents, 1):
        ms = []
        for s in surfaces:
            i = text.index(s, pos)
            ms.append(Mention(i, i + len(s), s))
            pos = i + len(s)
        out.append(Entity(id=f"e{n}", label=label, mentions=ms, name=surfaces[0], title=title))
    return Record(id=rid, text=text, lang=lang, date="2024-03", entities=out)


def _write(path: Path, records: list[Record]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


GOLD = [
    _record("d1", "fr", "La ministre de la Santé, Awa Diallo, a reçu lundi à Dakar le représentant de l'OMS.",
            [("PER", ["Awa Diallo"], "ministre de la Santé"), ("DATE", ["lundi"], None), ("LOC", ["Dakar"], None),
             ("ORG", ["OMS"], None)]),
    _record("d2", "ar", "استقبل وزير الصحة سعيد العلوي أمس بالرباط سفيرة اليابان.",
            [("PER", ["سعيد العلوي"], "وزير الصحة"), ("DATE", ["أمس"], None), ("LOC", ["الرباط"], None),
             ("LOC", ["اليابان"], None)]),
]


def test_missing_hcnews_says_how_to_fix(dev, tmp_path, capsys):
    assert dev.main(["--hcnews", str(tmp_path / "nowhere"), "--no-seeds"]) == 2
    err = capsys.readouterr().err
    assert "--hcnews" in err and "--seeds-only" in err


def test_scores_a_predictions_file_per_language_and_saves_json(dev, tmp_path, capsys):
    _write(tmp_path / "hc" / "dev" / "gold.jsonl", GOLD)
    pred = [Record.from_dict(r.to_dict()) for r in GOLD]
    pred[0].entities[0].title = "ministre"          # a shorter title: token F1 below 1
    pred[1].entities = pred[1].entities[:2]         # two LOC mentions missed
    _write(tmp_path / "pred.jsonl", pred)
    out = tmp_path / "dev.json"
    assert dev.main(["--hcnews", str(tmp_path / "hc"), "--pred", str(tmp_path / "pred.jsonl"),
                     "--json", str(out), "--bootstrap", "20", "--markdown", "--no-parse"]) == 0
    text = capsys.readouterr().out
    assert "dev fr (1)" in text and "dev ar (1)" in text and "| dev all (2) |" in text
    saved = json.loads(out.read_text(encoding="utf-8"))["dev"]
    ner = saved["report"]["ner"]["by_lang"]
    assert ner["fr"]["strict"]["micro"]["f1"] == 1.0 and ner["ar"]["strict"]["micro"]["recall"] == 0.5
    titles = saved["entities_pred"]["fr"]["titles"]["token"]
    assert titles["precision"] == 1.0 and titles["recall"] == pytest.approx(1 / 4)
    # the entities component run on the gold mentions finds both titles itself
    assert saved["entities_gold"]["all"]["titles"]["token"]["f1"] == 1.0


def test_missing_prediction_is_scored_as_an_empty_document(dev, tmp_path, capsys):
    _write(tmp_path / "hc" / "dev" / "gold.jsonl", GOLD)
    _write(tmp_path / "pred.jsonl", [GOLD[0]])
    assert dev.main(["--hcnews", str(tmp_path / "hc"), "--pred", str(tmp_path / "pred.jsonl"),
                     "--bootstrap", "0", "--no-parse"]) == 0
    captured = capsys.readouterr()
    assert "1 document(s) have no prediction" in captured.err


def test_date_value_accuracy_when_the_scorer_module_is_there(dev, tmp_path, capsys):
    pytest.importorskip("healthcoop_nlp.scoring.date_values")
    _write(tmp_path / "hc" / "dev" / "gold.jsonl", GOLD)
    pred = [Record.from_dict(r.to_dict()) for r in GOLD]
    pred[0].entities[1].mentions[0].value = "2024-03-04"   # lundi, right
    pred[1].entities[1].mentions[0].value = "2024-03-01"   # أمس, wrong
    _write(tmp_path / "pred.jsonl", pred)
    m0, m1 = GOLD[0].entities[1].mentions[0], GOLD[1].entities[1].mentions[0]
    (tmp_path / "values.tsv").write_text(
        "id\tstart\tend\ttext\tdate\tvalue\n"
        f"d1\t{m0.start}\t{m0.end}\t{m0.text}\t2024-03\t2024-03-04\n"
        f"d2\t{m1.start}\t{m1.end}\t{m1.text}\t2024-03\t2024-03-11\n", encoding="utf-8")
    out = tmp_path / "dev.json"
    assert dev.main(["--hcnews", str(tmp_path / "hc"), "--pred", str(tmp_path / "pred.jsonl"), "--bootstrap", "0",
                     "--no-parse", "--date-values", str(tmp_path / "values.tsv"), "--json", str(out)]) == 0
    dv = json.loads(out.read_text(encoding="utf-8"))["dev"]["date_values"]
    assert dv["overall"]["accuracy"] == 0.5 and dv["by_lang"]["fr"]["accuracy"] == 1.0
