"""evaluate(): gold vs itself, vs empty predictions, bootstrap determinism, id/text alignment."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import numpy as np
import pytest

from healthcoop_nlp.io import read_records
from healthcoop_nlp.scoring import AlignmentError, evaluate
from healthcoop_nlp.scoring.align import empty_prediction
from healthcoop_nlp.scoring.bootstrap import bootstrap_ci

SEEDS = Path(__file__).resolve().parents[2] / "eval" / "gold" / "seeds.jsonl"
FIGURES = {"precision", "recall", "f1", "accuracy", "conll_f1", "mean_f1", "exact", "macro_f1"}


def _figures(node, path=""):
    """Every (path, value) of a score figure in the report, skipping documents and errors."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("documents", "errors", "meta", "ci", "counts"):
                continue
            if k in FIGURES and not isinstance(v, dict):
                yield f"{path}.{k}", v
            else:
                yield from _figures(v, f"{path}.{k}")


@pytest.fixture
def corpus(rec, at):
    """Three small documents in two languages with entities, titles and events."""
    t1 = "Le ministre Amine Tahraoui a reçu lundi à Rabat la directrice de l'OMS. Cette rencontre a porté sur la santé."
    d1 = rec(t1, [("p", "PER", [at(t1, "Amine Tahraoui")], "ministre"), ("r", "LOC", [at(t1, "Rabat")]),
                  ("l", "DATE", [at(t1, "lundi")]), ("o", "ORG", [at(t1, "OMS")])],
             [("e1", "Contact.Meet", [at(t1, "reçu"), at(t1, "rencontre")],
               [("Participant", "p"), ("Participant", "o"), ("Place", "r"), ("Time", "l")])], doc_id="a")
    t2 = "استقبل خالد آيت الطالب في الرباط ممثلة منظمة الصحة العالمية."
    d2 = rec(t2, [("k", "PER", [at(t2, "خالد آيت الطالب")], None), ("r", "LOC", [at(t2, "الرباط")]),
                  ("w", "ORG", [at(t2, "منظمة الصحة العالمية")])],
             [("e1", "Contact.Meet", [at(t2, "استقبل")], [("Participant", "k"), ("Place", "r")])],
             lang="ar", doc_id="b")
    t3 = "Le Maroc et le Mali ont signé une convention à Bamako en 2023."
    d3 = rec(t3, [("m", "LOC", [at(t3, "Maroc")]), ("i", "LOC", [at(t3, "Mali")]), ("b", "LOC", [at(t3, "Bamako")]),
                  ("y", "DATE", [at(t3, "2023")])],
             [("e1", "Agreement.Sign", [at(t3, "signé")], [("Party", "m"), ("Party", "i"), ("Place", "b")])],
             doc_id="c")
    return [d1, d2, d3]


def test_gold_as_prediction_scores_one_everywhere(corpus):
    r = evaluate(corpus, copy.deepcopy(corpus), bootstrap=50)
    figs = list(_figures(r))
    assert len(figs) > 50
    bad = [(p, v) for p, v in figs if v is not None and v != pytest.approx(1.0)]
    assert bad == []
    assert all(h["value"] == 1.0 and h["low"] == 1.0 and h["high"] == 1.0 for h in r["headline"].values())
    assert r["errors"] == [] and r["error_counts"] == {}


@pytest.mark.skipif(not SEEDS.exists(), reason="eval/gold/seeds.jsonl not present")
def test_seed_gold_as_prediction_scores_one():
    gold = list(read_records(SEEDS))
    r = evaluate(gold, list(read_records(SEEDS)), bootstrap=20)
    assert [(p, v) for p, v in _figures(r) if v is not None and v != pytest.approx(1.0)] == []
    assert r["errors"] == []


def test_empty_prediction_scores_zero(corpus):
    empty = [empty_prediction(g) for g in corpus]
    r = evaluate(corpus, empty, bootstrap=50)
    for name, h in r["headline"].items():
        assert h["value"] == 0.0 and h["low"] == 0.0 and h["high"] == 0.0, name
    assert r["ner"]["strict"]["micro"]["recall"] == 0.0 and r["ner"]["partial"]["micro"]["f1"] == 0.0
    assert all(v["f1"] in (0.0, None) for v in r["ner"]["strict"]["labels"].values())
    assert r["events"]["events"]["by_type"]["Contact.Meet"]["f1"] == 0.0
    for m in ("b3", "ceafe"):
        assert r["clusters"]["pred_mentions"][m]["f1"] == 0.0
    assert r["clusters"]["pred_mentions"]["muc"]["f1"] is None     # one-mention entities only: no links
    assert r["error_counts"]["ner.missed"] == 11 and r["error_counts"]["events.missed"] == 3
    assert r["error_counts"]["arguments.missed"] == 9


def test_same_language_empty_prediction_keeps_langid(corpus):
    empty = [empty_prediction(g) for g in corpus]
    for e, g in zip(empty, corpus):
        e.lang = g.lang
    r = evaluate(corpus, empty, bootstrap=0)
    assert r["langid"]["accuracy"] == 1.0 and r["ner"]["strict"]["micro"]["f1"] == 0.0
    assert r["headline"]["ner.strict.micro.f1"]["low"] is None      # no bootstrap asked


def test_report_documents_carry_text_mentions_and_statuses(corpus):
    pred = copy.deepcopy(corpus)
    pred[0].entities[1].label = "ORG"          # Rabat as ORG
    r = evaluate(corpus, pred, bootstrap=0)
    doc = r["documents"][0]
    assert doc["text"] == corpus[0].text and doc["lang"] == {"gold": "fr", "pred": "fr"}
    statuses = {m["text"]: m["status"] for m in doc["pred_mentions"]}
    assert statuses["Rabat"] == "wrong_label" and statuses["OMS"] == "correct"
    assert {m["entity"] for m in doc["gold_mentions"]} == {"p", "r", "l", "o"}
    assert doc["gold"]["events"][0]["type"] == "Contact.Meet" and doc["event_pairs"] == [{"gold": "e1", "pred": "e1"}]
    assert doc["scores"]["ner_strict"]["tp"] == 3
    err = next(e for e in r["errors"] if e["task"] == "ner")
    assert err["kind"] == "wrong_label" and err["doc"] == "a" and err["lang"] == "fr"
    assert (err["start"], err["end"]) == (corpus[0].text.index("Rabat"), corpus[0].text.index("Rabat") + 5)
    assert err["context"]["span"] == "Rabat"
    json.dumps(r)                               # JSON-ready


def _noisy(corpus, n=30, seed=3):
    """n documents: copies of the corpus with some predictions dropped at random."""
    rng = np.random.default_rng(seed)
    gold, pred = [], []
    for i in range(n):
        g = copy.deepcopy(corpus[i % len(corpus)])
        g.id = f"d{i}"
        p = copy.deepcopy(g)
        p.entities = [e for e in p.entities if rng.random() < 0.6]
        gold.append(g)
        pred.append(p)
    return gold, pred


def test_bootstrap_is_deterministic_with_a_seed(corpus):
    gold, pred = _noisy(corpus)
    a = evaluate(gold, pred, bootstrap=200, seed=7)["headline"]
    b = evaluate(gold, pred, bootstrap=200, seed=7)["headline"]
    c = evaluate(gold, pred, bootstrap=200, seed=8)["headline"]
    assert a == b
    assert a["ner.strict.micro.f1"] != c["ner.strict.micro.f1"]
    h = a["ner.strict.micro.f1"]
    assert h["low"] < h["value"] < h["high"]


def test_bootstrap_ci_on_counts():
    counts = np.array([[1, 1], [0, 1], [1, 1], [1, 1]], dtype=float)
    acc = {"acc": lambda s: s[:, 0] / s[:, 1]}
    lo, hi = bootstrap_ci(counts, acc, n=500, seed=0)["acc"]
    assert 0.0 <= lo <= 0.75 <= hi <= 1.0
    assert bootstrap_ci(counts, acc, n=500, seed=0) == bootstrap_ci(counts, acc, n=500, seed=0)
    assert bootstrap_ci(counts, acc, n=0)["acc"] == (None, None)


def test_alignment_errors(corpus):
    with pytest.raises(AlignmentError, match=r"no prediction in pred.jsonl: b; .*--allow-missing"):
        evaluate(corpus, [corpus[0], corpus[2]], gold_name="gold.jsonl", pred_name="pred.jsonl")
    extra = copy.deepcopy(corpus[0])
    extra.id = "zz"
    with pytest.raises(AlignmentError, match=r"pred has 1 document id\(s\) that are not in gold: zz"):
        evaluate(corpus, corpus + [extra])
    with pytest.raises(AlignmentError, match=r"duplicate document id\(s\) a"):
        evaluate(corpus, corpus + [corpus[0]])
    other = copy.deepcopy(corpus)
    other[1].text = other[1].text + " "
    with pytest.raises(AlignmentError, match=r"document 'b': the text in pred differs"):
        evaluate(corpus, other)


def test_allow_missing_scores_empty_and_says_so(corpus):
    r = evaluate(corpus, [corpus[0], corpus[2]], allow_missing=True, bootstrap=0)
    assert r["meta"]["missing_predictions"] == ["b"]
    assert r["documents"][1]["missing_prediction"] is True
    assert r["ner"]["by_lang"]["ar"]["strict"]["micro"]["recall"] == 0.0
    assert r["ner"]["by_lang"]["fr"]["strict"]["micro"]["f1"] == 1.0


def test_offset_warnings(corpus):
    pred = copy.deepcopy(corpus)
    pred[0].entities[1].mentions[0].start += 1          # text no longer text[start:end]
    pred[2].entities[0].mentions[0].end = 10_000          # outside the text
    w = evaluate(corpus, pred, bootstrap=0)["meta"]["warnings"]
    assert len(w) == 2
    assert "pred document 'a': mention of entity 'r'" in w[0] and "offsets must index the raw text" in w[0]
    assert "pred document 'c'" in w[1] and "outside the text" in w[1]
