"""MUC, B-cubed, CEAF-e on the literature example, the two mention settings, and titles."""

from __future__ import annotations

import pytest

from healthcoop_nlp.scoring import b_cubed, ceaf_e, metric_prf, muc, score_clusters, score_titles
from healthcoop_nlp.scoring.clusters import title_tokens

F = frozenset
# Pradhan et al. 2014 (ACL), "Scoring Coreference Partitions of Predicted Mentions", Figure 1:
# key {a,b,c} {d,e,f,g}; response {a,b} {c,d} {f,g,h,i}.
KEY = [F("abc"), F("defg")]
RESPONSE = [F("ab"), F("cd"), F("fghi")]


def test_muc_literature_example():
    m = metric_prf(muc(KEY, RESPONSE))
    assert m["recall"] == pytest.approx(0.4) and m["precision"] == pytest.approx(0.4) and m["f1"] == pytest.approx(0.4)


def test_b_cubed_literature_example():
    m = metric_prf(b_cubed(KEY, RESPONSE))
    assert m["recall"] == pytest.approx(5 / 12)        # 41.67
    assert m["precision"] == pytest.approx(0.5)
    assert m["f1"] == pytest.approx(2 * 0.5 * (5 / 12) / (0.5 + 5 / 12))   # 45.45


def test_ceaf_e_literature_example():
    m = metric_prf(ceaf_e(KEY, RESPONSE))
    assert m["recall"] == pytest.approx(0.65) and m["precision"] == pytest.approx(1.3 / 3)
    assert m["f1"] == pytest.approx(0.52)


def test_identical_partitions_score_one():
    for fn in (muc, b_cubed, ceaf_e):
        assert metric_prf(fn(KEY, KEY))["f1"] == pytest.approx(1.0)


T = "L'Organisation mondiale de la Santé (OMS) et le Maroc. L'OMS salue le Maroc et Rabat."


def test_gold_and_predicted_mention_settings(rec, at):
    gold = rec(T, [("who", "ORG", [at(T, "Organisation mondiale de la Santé"), at(T, "OMS"), at(T, "OMS", 2)]),
                   ("ma", "LOC", [at(T, "Maroc"), at(T, "Maroc", 2)]),
                   ("rabat", "LOC", [at(T, "Rabat")])])
    pred = rec(T, [("a", "ORG", [at(T, "OMS"), at(T, "OMS", 2)]),          # long form missed
                   ("b", "LOC", [at(T, "Maroc")]), ("c", "LOC", [at(T, "Maroc", 2)]),   # split
                   ("d", "LOC", [at(T, "Rabat")]), ("e", "ORG", [at(T, "salue")])])     # spurious singleton
    r = score_clusters([gold], [pred])
    gm = r["gold_mentions"]
    # common mentions: OMS, OMS, Maroc, Maroc, Rabat. key {O1,O2} {M1,M2} {R}; response {O1,O2} {M1} {M2} {R}
    assert gm["mentions"] == 5
    assert gm["muc"]["recall"] == pytest.approx(1 / 2) and gm["muc"]["precision"] == pytest.approx(1.0)
    assert gm["b3"]["recall"] == pytest.approx((2 + 1 + 1) / 5) and gm["b3"]["precision"] == pytest.approx(1.0)
    # CEAF-e: phi4 O=1, M-M1=2/3, R=1 -> 8/3; recall 8/9 (3 key entities), precision 8/12 (4 response)
    assert gm["ceafe"]["recall"] == pytest.approx(8 / 9) and gm["ceafe"]["precision"] == pytest.approx(2 / 3)
    pm = r["pred_mentions"]
    # key {L,O1,O2} {M1,M2} {R}; response {O1,O2} {M1} {M2} {R} {S}
    # MUC recall: (3-2)+(2-2) / (2+1) = 1/3; precision: 1/1
    assert pm["muc"]["recall"] == pytest.approx(1 / 3) and pm["muc"]["precision"] == pytest.approx(1.0)
    # B3 recall: (L,O1,O2: 4/3) + (M1,M2: 1/2 + 1/2) + (R: 1) over 6; precision: (2 + 1 + 1 + 1 + 0)/6
    assert pm["b3"]["recall"] == pytest.approx((4 / 3 + 2) / 6) and pm["b3"]["precision"] == pytest.approx(5 / 6)
    # CEAF-e: phi4 O: 2*2/5=0.8, M: 2/3, R: 1 -> 37/15; recall /3, precision /5
    assert pm["ceafe"]["recall"] == pytest.approx(37 / 45) and pm["ceafe"]["precision"] == pytest.approx(37 / 75)
    assert pm["conll_f1"] == pytest.approx((pm["muc"]["f1"] + pm["b3"]["f1"] + pm["ceafe"]["f1"]) / 3)


def test_title_tokens():
    assert title_tokens("Ministre de la Santé, de l’insertion") == ["ministre", "de", "la", "santé", "de", "l", "insertion"]
    assert title_tokens(None) == [] and title_tokens("") == []


TT = "Le ministre Amine Tahraoui a reçu Hanane Balkhi, Maryam Bigdeli et Ali Ben."


def test_titles_by_hand(rec, at):
    t = TT
    gold = rec(t, [("a", "PER", [at(t, "Amine Tahraoui")], "ministre de la Santé et de la Protection sociale"),
                   ("b", "PER", [at(t, "Hanane Balkhi")], None),
                   ("c", "PER", [at(t, "Maryam Bigdeli")], "représentante de l'OMS"),
                   ("d", "PER", [at(t, "Ali Ben")], None)])
    pred = rec(t, [("x", "PER", [at(t, "Tahraoui")], "ministre de la Santé"),      # paired by overlap
                   ("y", "PER", [at(t, "Hanane Balkhi")], None),                   # both null
                   ("z", "PER", [at(t, "Maryam Bigdeli")], None)])                 # title missed; d unpaired
    r = score_titles([gold], [pred])
    # tokens: gold a 9, pred x 4, common 4; c gold 4 tokens ("représentante de l oms"), z none
    assert (r["token"]["tp"], r["token"]["pred"], r["token"]["gold"]) == (4, 4, 13)
    assert r["token"]["precision"] == 1.0 and r["token"]["recall"] == pytest.approx(4 / 13)
    assert r["pairs"] == 3 and r["both_null"] == 1 and r["unpaired_gold_per"] == 1
    # pair F1: a/x 8/13, b/y 1 (both null), c/z 0
    assert r["mean_f1"] == pytest.approx((8 / 13 + 1 + 0) / 3)
    assert r["exact"] == pytest.approx(1 / 3)
