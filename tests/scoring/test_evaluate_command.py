"""``healthcoop-nlp evaluate``: tables, --json, --report, and clear errors for bad input."""

from __future__ import annotations

import json

import pytest

from healthcoop_nlp.cli import main


@pytest.fixture
def files(tmp_path, rec, at):
    t1 = "Le ministre Amine Tahraoui a reçu lundi à Rabat la directrice de l'OMS."
    g1 = rec(t1, [("p", "PER", [at(t1, "Amine Tahraoui")], "ministre"), ("r", "LOC", [at(t1, "Rabat")]),
                  ("o", "ORG", [at(t1, "OMS")])],
             [("e", "Contact.Meet", [at(t1, "reçu")], [("Participant", "p"), ("Place", "r")])], doc_id="a")
    t2 = "استقبل خالد آيت الطالب في الرباط."
    g2 = rec(t2, [("k", "PER", [at(t2, "خالد آيت الطالب")], None), ("r", "LOC", [at(t2, "الرباط")])],
             lang="ar", doc_id="b")
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(r.to_json() + "\n" for r in (g1, g2)), encoding="utf-8")
    p1 = rec(t1, [("x", "PER", [at(t1, "Tahraoui")], "ministre"), ("y", "ORG", [at(t1, "Rabat")])], doc_id="a")
    pred = tmp_path / "pred.jsonl"
    pred.write_text("".join(r.to_json() + "\n" for r in (p1, g2)), encoding="utf-8")
    return gold, pred


def test_table(files, capsys):
    gold, pred = files
    assert main(["evaluate", "--gold", str(gold), "--pred", str(pred), "--bootstrap", "100"]) == 0
    out = capsys.readouterr().out
    for heading in ("Language ID", "NER (all languages)", "NER (fr, 1 documents)", "NER (ar, 1 documents)",
                    "Events and arguments", "Entity clusters", "Titles", "micro F1 95% CI"):
        assert heading in out
    micro = next(line for line in out.splitlines() if line.startswith("micro "))
    # strict: tp 2 (the Arabic doc), pred 4, gold 5 -> P 0.500 R 0.400 F1 0.444
    assert micro.split()[1:6] == ["5", "4", "0.500", "0.400", "0.444"]


def test_json(files, capsys):
    gold, pred = files
    assert main(["evaluate", "--gold", str(gold), "--pred", str(pred), "--json", "--bootstrap", "50", "--seed", "3"]) == 0
    r = json.loads(capsys.readouterr().out)
    assert r["meta"]["seed"] == 3 and r["meta"]["bootstrap"] == 50
    assert r["ner"]["partial"]["micro"]["tp"] == 3
    assert r["headline"]["events.f1"]["value"] == 0.0
    assert {e["kind"] for e in r["errors"] if e["task"] == "ner"} == {"wrong_boundary", "wrong_label", "missed"}


def test_report_dir(files, tmp_path, capsys):
    gold, pred = files
    out = tmp_path / "rep"
    assert main(["evaluate", "--gold", str(gold), "--pred", str(pred), "--report", str(out), "--bootstrap", "0"]) == 0
    r = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [d["id"] for d in r["documents"]] == ["a", "b"] and r["documents"][0]["text"].startswith("Le ministre")
    md = (out / "report.md").read_text(encoding="utf-8")
    assert md.startswith("# Evaluation report") and "## Error list" in md and "**[Rabat]**" in md
    assert "wrote" in capsys.readouterr().err


def test_id_mismatch_names_file_and_ids(files, tmp_path, capsys):
    gold, pred = files
    lines = pred.read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "pred_bad.jsonl"
    bad.write_text(lines[0].replace('"id": "a"', '"id": "zzz"') + "\n", encoding="utf-8")
    assert main(["evaluate", "--gold", str(gold), "--pred", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "pred_bad.jsonl" in err and "zzz" in err and "gold.jsonl" in err


def test_missing_prediction_and_allow_missing(files, tmp_path, capsys):
    gold, pred = files
    one = tmp_path / "one.jsonl"
    one.write_text(pred.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    assert main(["evaluate", "--gold", str(gold), "--pred", str(one)]) == 2
    err = capsys.readouterr().err
    assert "one.jsonl" in err and ": b;" in err and "--allow-missing" in err
    assert main(["evaluate", "--gold", str(gold), "--pred", str(one), "--allow-missing", "--json",
                 "--bootstrap", "0"]) == 0
    cap = capsys.readouterr()
    assert json.loads(cap.out)["meta"]["missing_predictions"] == ["b"]
    assert "scored as empty: b" in cap.err


def test_broken_json_line_names_file_and_line(files, tmp_path, capsys):
    gold, pred = files
    broken = tmp_path / "broken.jsonl"
    broken.write_text(pred.read_text(encoding="utf-8").splitlines()[0] + "\n{not json\n", encoding="utf-8")
    assert main(["evaluate", "--gold", str(gold), "--pred", str(broken)]) == 2
    assert "broken.jsonl:2" in capsys.readouterr().err


def test_text_mismatch_is_an_error(files, tmp_path, capsys):
    gold, pred = files
    d = json.loads(pred.read_text(encoding="utf-8").splitlines()[1])
    d["text"] = d["text"].replace("الرباط", "مراكش")
    other = tmp_path / "other.jsonl"
    other.write_text(pred.read_text(encoding="utf-8").splitlines()[0] + "\n" + json.dumps(d, ensure_ascii=False) + "\n",
                     encoding="utf-8")
    assert main(["evaluate", "--gold", str(gold), "--pred", str(other)]) == 2
    err = capsys.readouterr().err
    assert "document 'b'" in err and "differs" in err


def test_missing_file(files, capsys):
    gold, _ = files
    assert main(["evaluate", "--gold", str(gold), "--pred", "/nonexistent/p.jsonl"]) == 2
    assert "/nonexistent/p.jsonl" in capsys.readouterr().err


def test_empty_gold_is_an_error(files, tmp_path, capsys):
    _, pred = files
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    assert main(["evaluate", "--gold", str(empty), "--pred", str(pred)]) == 2
    assert "empty.jsonl: no records" in capsys.readouterr().err
