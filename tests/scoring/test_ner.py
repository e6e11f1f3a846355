"""NER scores: strict/partial counts, one-to-one matching, error classes (hand-worked numbers)."""

from __future__ import annotations

import pytest

from healthcoop_nlp.scoring import score_ner
from healthcoop_nlp.scoring.ner import ner_document

TEXT = "Le ministre Amine Tahraoui a reçu Hanane Balkhi à Rabat le 4 mars 2024."


@pytest.fixture
def pair(rec, at):
    t = TEXT
    gold = rec(t, [("g1", "PER", [at(t, "Amine Tahraoui")]), ("g2", "PER", [at(t, "Hanane Balkhi")]),
                   ("g3", "LOC", [at(t, "Rabat")]), ("g4", "DATE", [at(t, "4 mars 2024")])])
    pred = rec(t, [("p1", "PER", [at(t, "Tahraoui")]), ("p2", "PER", [at(t, "Hanane Balkhi")]),
                   ("p3", "ORG", [at(t, "Rabat")]), ("p4", "DATE", [at(t, "le 4 mars 2024")]),
                   ("p5", "LOC", [at(t, "ministre")])])
    return gold, pred


def test_strict_and_partial_by_hand(pair):
    gold, pred = pair
    r = score_ner([gold], [pred])
    s, p = r["strict"]["micro"], r["partial"]["micro"]
    # strict: only "Hanane Balkhi" is exact: tp 1 of 5 predicted, 4 gold
    assert (s["tp"], s["pred"], s["gold"]) == (1, 5, 4)
    assert s["precision"] == pytest.approx(0.2) and s["recall"] == pytest.approx(0.25)
    assert s["f1"] == pytest.approx(2 / 9)
    # partial: Tahraoui~Amine Tahraoui (PER), Hanane Balkhi, le 4 mars 2024~4 mars 2024 (DATE): tp 3
    assert (p["tp"], p["pred"], p["gold"]) == (3, 5, 4)
    assert p["precision"] == pytest.approx(0.6) and p["recall"] == pytest.approx(0.75)
    assert p["f1"] == pytest.approx(2 / 3)
    per = r["strict"]["labels"]
    assert per["PER"]["f1"] == pytest.approx(0.5)
    assert per["LOC"]["precision"] == 0.0 and per["LOC"]["recall"] == 0.0
    assert per["ORG"]["pred"] == 1 and per["ORG"]["gold"] == 0 and per["ORG"]["f1"] == 0.0
    assert r["partial"]["labels"]["DATE"]["f1"] == 1.0
    assert r["by_lang"]["fr"]["strict"]["micro"]["f1"] == pytest.approx(2 / 9)


def test_error_classes(pair):
    gold, pred = pair
    doc = ner_document(gold, pred, ["PER", "ORG", "LOC", "DATE"])
    kinds = sorted((e["kind"], (e["gold"] or e["pred"])["text"]) for e in doc.errors)
    assert kinds == [("spurious", "ministre"), ("wrong_boundary", "4 mars 2024"),
                     ("wrong_boundary", "Amine Tahraoui"), ("wrong_label", "Rabat")]
    err = next(e for e in doc.errors if e["kind"] == "wrong_label")
    assert err["gold"]["label"] == "LOC" and err["pred"]["label"] == "ORG" and err["doc"] == "d1"
    assert err["context"]["span"] == "Rabat" and err["context"]["left"].endswith("Balkhi à ")
    assert doc.gold_status == ["wrong_boundary", "correct", "wrong_label", "wrong_boundary"]


def test_partial_is_one_to_one(rec, at):
    t = "Le Conseil exécutif de l'OMS et l'Organisation mondiale de la Santé."
    gold = rec(t, [("a", "ORG", [at(t, "Conseil exécutif")]), ("b", "ORG", [at(t, "OMS")]),
                   ("c", "ORG", [at(t, "Organisation mondiale de la Santé")])])
    pred = rec(t, [("x", "ORG", [at(t, "Conseil exécutif de l'OMS")]),           # covers two gold mentions
                   ("y", "ORG", [at(t, "Organisation mondiale")]),               # two predictions on one gold
                   ("z", "ORG", [at(t, "la Santé")])])
    r = score_ner([gold], [pred])
    # x pairs with one of a/b; c pairs with y (larger overlap) and z is left over: tp 2 of 3 pred, 3 gold
    p = r["partial"]["micro"]
    assert (p["tp"], p["pred"], p["gold"]) == (2, 3, 3)
    assert r["strict"]["micro"]["tp"] == 0
    doc = ner_document(gold, pred, ["ORG"])
    spurious = [e["pred"]["text"] for e in doc.errors if e["kind"] == "spurious"]
    missed = [e["gold"]["text"] for e in doc.errors if e["kind"] == "missed"]
    assert spurious == ["la Santé"] and len(missed) == 1


def test_duplicate_prediction_counts_once(rec, at):
    t = "Rabat, Maroc."
    gold = rec(t, [("g", "LOC", [at(t, "Rabat")])])
    pred = rec(t, [("p", "LOC", [at(t, "Rabat")]), ("q", "LOC", [at(t, "Rabat")])])
    s = score_ner([gold], [pred])["strict"]["micro"]
    assert (s["tp"], s["pred"], s["gold"]) == (1, 2, 1)


def test_wrong_label_and_boundary(rec, at):
    t = "à Rabat-Salé hier"
    gold = rec(t, [("g", "LOC", [at(t, "Rabat-Salé")])])
    pred = rec(t, [("p", "ORG", [at(t, "Rabat")])])
    doc = ner_document(gold, pred, ["LOC", "ORG"])
    assert [e["kind"] for e in doc.errors] == ["wrong_label_boundary"]


def test_labels_restrict(pair):
    gold, pred = pair
    r = score_ner([gold], [pred], labels=["PER"])
    assert list(r["strict"]["labels"]) == ["PER"]
    assert (r["strict"]["micro"]["tp"], r["strict"]["micro"]["pred"], r["strict"]["micro"]["gold"]) == (1, 2, 2)
