"""DATE value accuracy: reading the values TSV, scoring, and ``evaluate --date-values``."""

from __future__ import annotations

import json

import pytest

from healthcoop_nlp.cli import main
from healthcoop_nlp.record import Entity, Mention
from healthcoop_nlp.scoring.date_values import DateValuesError, GoldValue, read_date_values, score_date_values

FR = "Le forum du 3 mars 2024 suit la réunion de jeudi et celle de mai dernier, et 2023."
AR = "عقد الاجتماع يوم 5 أبريل 2024 بالرباط."


def _dates(rec, at, text, spans_values, lang="fr", doc_id="a"):
    """A record whose DATE mentions are ``spans_values``: [(substring, value)]."""
    r = rec(text, lang=lang, doc_id=doc_id)
    for i, (s, v) in enumerate(spans_values):
        a, b = at(text, s)
        r.entities.append(Entity(id=f"d{i}", label="DATE", mentions=[Mention(a, b, text[a:b], value=v, has_value=True)]))
    return r


def _tsv_line(doc, text, s, at, date, value):
    a, b = at(text, s)
    return f"{doc}\t{a}\t{b}\t{s}\t{date}\t{value}\n"


def test_read_with_header_without_header_and_offsets_column(tmp_path, at):
    a, b = at(FR, "3 mars 2024")
    p = tmp_path / "v.tsv"
    p.write_text(f"id\tstart\tend\ttext\tdate\tvalue\na\t{a}\t{b}\t3 mars 2024\t2024-03\t2024-03-03\n"
                 f"a\t{a + 100}\t{b + 100}\tjeudi\t2024-03\t\n", encoding="utf-8")
    got = read_date_values(p)
    assert got[0] == GoldValue("a", a, b, "3 mars 2024", "2024-03", "2024-03-03")
    assert got[1].value is None
    p.write_text(f"a\t{a}\t{b}\t3 mars 2024\t2024-03\t2024-03-03\n", encoding="utf-8")
    assert read_date_values(p)[0].start == a
    p.write_text(f"a\t{a}-{b}\t3 mars 2024\t2024-03\t2024-03-03\n", encoding="utf-8")
    assert (read_date_values(p)[0].start, read_date_values(p)[0].end) == (a, b)


def test_bad_line_and_missing_file_say_how_to_fix(tmp_path):
    p = tmp_path / "v.tsv"
    p.write_text("a\tx\ty\tz\t2024-03\t2024\n", encoding="utf-8")
    with pytest.raises(DateValuesError, match=r"v\.tsv:1: cannot read"):
        read_date_values(p)
    with pytest.raises(DateValuesError, match="no such file"):
        read_date_values(tmp_path / "none.tsv")


def test_accuracy_counts_only_gold_values_and_same_spans(rec, at):
    gold = _dates(rec, at, FR, [("3 mars 2024", None), ("jeudi", None), ("mai dernier", None), ("2023", None)])
    pred = _dates(rec, at, FR, [("3 mars 2024", "2024-03-03"), ("jeudi", None), ("mai dernier", "2024-05"),
                                ("et 2023", "2023")])
    gar = _dates(rec, at, AR, [("يوم 5 أبريل 2024", None)], lang="ar", doc_id="b")
    par = _dates(rec, at, AR, [("يوم 5 أبريل 2024", "2024-04-05")], lang="ar", doc_id="b")
    values = [GoldValue("a", *at(FR, "3 mars 2024"), "3 mars 2024", "2024-03", "2024-03-03"),
              GoldValue("a", *at(FR, "jeudi"), "jeudi", "2024-03", None),            # no value: not counted
              GoldValue("a", *at(FR, "mai dernier"), "mai dernier", "2024-03", "2023-05"),  # wrong value
              GoldValue("a", *at(FR, "2023"), "2023", "2024-03", "2023"),            # span not predicted
              GoldValue("b", *at(AR, "يوم 5 أبريل 2024"), "", "2024-04", "2024-04-05"),
              GoldValue("zz", 0, 4, "", "2024-04", "2024")]                           # unknown document
    r = score_date_values(values, [(gold, pred), (gar, par)])
    assert r["overall"] == {"accuracy": 0.5, "correct": 2, "total": 4, "span_found": 3,
                            "accuracy_on_found": pytest.approx(2 / 3)}
    assert r["by_lang"]["fr"]["correct"] == 1 and r["by_lang"]["fr"]["total"] == 3
    assert r["by_lang"]["ar"]["accuracy"] == 1.0
    assert {(e["text"], e["gold"], e["pred"], e["span_found"]) for e in r["errors"]} == {
        ("mai dernier", "2023-05", "2024-05", True), ("2023", "2023", None, False)}
    assert any("zz" in w for w in r["warnings"])


def test_evaluate_command_reports_value_accuracy(tmp_path, rec, at, capsys):
    gold = _dates(rec, at, FR, [("3 mars 2024", None), ("mai dernier", None)])
    pred = _dates(rec, at, FR, [("3 mars 2024", "2024-03-03"), ("mai dernier", "2024-05")])
    g, p, v = tmp_path / "g.jsonl", tmp_path / "p.jsonl", tmp_path / "v.tsv"
    g.write_text(gold.to_json() + "\n", encoding="utf-8")
    p.write_text(pred.to_json() + "\n", encoding="utf-8")
    v.write_text(_tsv_line("a", FR, "3 mars 2024", at, "2024-03", "2024-03-03")
                 + _tsv_line("a", FR, "mai dernier", at, "2024-03", "2023-05"), encoding="utf-8")
    base = ["evaluate", "--gold", str(g), "--pred", str(p), "--bootstrap", "0", "--date-values", str(v)]
    assert main(base) == 0
    out = capsys.readouterr().out
    assert "DATE values" in out
    row = next(line for line in out.splitlines() if line.startswith("all ") and "0.500" in line)
    assert row.split()[1:5] == ["2", "2", "1", "0.500"]
    assert main(base + ["--json"]) == 0
    r = json.loads(capsys.readouterr().out)
    assert r["date_values"]["by_lang"]["fr"]["accuracy"] == 0.5
    assert main(base + ["--report", str(tmp_path / "rep")]) == 0
    assert "DATE values" in (tmp_path / "rep" / "report.md").read_text(encoding="utf-8")
    v.write_text("a\tbad\n", encoding="utf-8")
    assert main(base) == 2
    assert "cannot read" in capsys.readouterr().err


def test_without_date_values_the_report_has_no_block(tmp_path, rec, at, capsys):
    gold = _dates(rec, at, FR, [("3 mars 2024", None)])
    g = tmp_path / "g.jsonl"
    g.write_text(gold.to_json() + "\n", encoding="utf-8")
    assert main(["evaluate", "--gold", str(g), "--pred", str(g), "--bootstrap", "0", "--json"]) == 0
    assert "date_values" not in json.loads(capsys.readouterr().out)
