"""Event and argument matching (the guide's section 4) against hand-worked numbers."""

from __future__ import annotations

import pytest

from healthcoop_nlp.scoring import score_events
from healthcoop_nlp.scoring.events import entities_match, event_document

T = ("La réunion de lundi à Rabat a eu lieu. Cet entretien puis la rencontre ont suivi. "
     "Une visite est prévue.")


def test_greedy_one_to_one_in_prediction_order(rec, at):
    gold = rec(T, events=[("E1", "Contact.Meet", [at(T, "réunion"), at(T, "rencontre")], []),
                          ("E2", "Contact.Meet", [at(T, "entretien")], [])])
    pred = rec(T, events=[
        # overlaps E1 and E2: paired with E1, the first gold event in gold order
        ("P1", "Contact.Meet", [at(T, "entretien"), at(T, "rencontre")], []),
        # overlaps only E1, already paired: spurious
        ("P2", "Contact.Meet", [at(T, "réunion")], []),
        # overlaps E2 but has another type: spurious
        ("P3", "Movement.Visit", [at(T, "entretien")], []),
    ])
    r = score_events([gold], [pred])
    ev = r["events"]
    assert (ev["overall"]["tp"], ev["overall"]["pred"], ev["overall"]["gold"]) == (1, 3, 2)
    assert ev["overall"]["precision"] == pytest.approx(1 / 3)
    assert ev["overall"]["recall"] == pytest.approx(0.5)
    assert ev["overall"]["f1"] == pytest.approx(0.4)
    assert ev["by_type"]["Contact.Meet"]["f1"] == pytest.approx(0.5)
    mv = ev["by_type"]["Movement.Visit"]
    assert (mv["tp"], mv["pred"], mv["gold"], mv["f1"]) == (0, 1, 0, 0.0)
    assert ev["by_type"]["Aid.Donate"]["f1"] is None      # nothing to score
    doc = event_document(gold, pred)
    assert doc.pairs == [("E1", "P1")]
    kinds = sorted((e["kind"], e["event"]) for e in doc.errors if e["task"] == "events")
    assert kinds == [("missed", "E2"), ("spurious", "P2"), ("spurious", "P3")]
    p3 = next(e for e in doc.errors if e.get("event") == "P3")
    assert p3["other_side_overlapping_types"] == ["Contact.Meet"]


TA = ("Le ministre Amine Tahraoui a présidé une réunion lundi à Rabat. Tahraoui a rappelé que Rabat "
      "accueille aussi un accord signé mardi avec l'OMS.")


def test_arguments_by_overlap_and_text(rec, at):
    t = TA
    gold = rec(t, entities=[
        ("per", "PER", [at(t, "Amine Tahraoui"), at(t, "Tahraoui", 2)]),
        ("rabat", "LOC", [at(t, "Rabat")]),
        ("lundi", "DATE", [at(t, "lundi")]),
        ("oms", "ORG", [at(t, "OMS")]),
        ("mardi", "DATE", [at(t, "mardi")]),
    ], events=[
        ("G1", "Contact.Meet", [at(t, "réunion")], [("Participant", "per"), ("Place", "rabat"), ("Time", "lundi")]),
        ("G2", "Agreement.Sign", [at(t, "accord")], [("Party", "oms"), ("Time", "mardi")]),
    ])
    pred = rec(t, entities=[
        ("p_tah", "PER", [at(t, "Tahraoui")]),                  # overlaps the gold "Amine Tahraoui"
        ("p_rabat", "LOC", [at(t, "Rabat", 2)]),                # other occurrence: same normalised text
        ("p_mardi", "DATE", [at(t, "mardi")]),
        ("p_oms", "ORG", [at(t, "OMS")]),
    ], events=[
        ("P1", "Contact.Meet", [at(t, "réunion")],
         [("Participant", "p_tah"), ("Place", "p_rabat"), ("Time", "p_mardi")]),
        ("P2", "Initiative.Launch", [at(t, "signé")], [("Agent", "p_oms")]),   # unmatched event
    ])
    r = score_events([gold], [pred])
    a = r["arguments"]["overall"]
    # matched pair G1/P1: Participant (overlap) and Place (text) match, Time does not: tp 2.
    # predicted args: 3 in P1 + 1 in unmatched P2 = 4; gold args: 3 in G1 + 2 in unmatched G2 = 5.
    assert (a["tp"], a["pred"], a["gold"]) == (2, 4, 5)
    assert a["precision"] == pytest.approx(0.5) and a["recall"] == pytest.approx(0.4)
    assert a["f1"] == pytest.approx(4 / 9)
    by_type = r["arguments"]["by_type"]
    assert (by_type["Contact.Meet"]["tp"], by_type["Contact.Meet"]["pred"], by_type["Contact.Meet"]["gold"]) == (2, 3, 3)
    assert (by_type["Agreement.Sign"]["tp"], by_type["Agreement.Sign"]["gold"]) == (0, 2)
    assert (by_type["Initiative.Launch"]["pred"], by_type["Initiative.Launch"]["f1"]) == (1, 0.0)
    assert r["arguments"]["by_role"]["Time"]["tp"] == 0 and r["arguments"]["by_role"]["Place"]["tp"] == 1
    doc = event_document(gold, pred)
    errs = sorted((e["kind"], e["role"], e["entity"]["id"], e["event_matched"])
                  for e in doc.errors if e["task"] == "arguments")
    assert errs == [("missed", "Party", "oms", False), ("missed", "Time", "lundi", True),
                    ("missed", "Time", "mardi", False), ("spurious", "Agent", "p_oms", False),
                    ("spurious", "Time", "p_mardi", True)]


def test_gold_argument_matched_once_and_role_must_agree(rec, at):
    t = "Réunion à Rabat et à Rabat."
    gold = rec(t, entities=[("r", "LOC", [at(t, "Rabat")])],
               events=[("G", "Contact.Meet", [at(t, "Réunion")], [("Place", "r")])])
    pred = rec(t, entities=[("a", "LOC", [at(t, "Rabat")]), ("b", "LOC", [at(t, "Rabat", 2)])],
               events=[("P", "Contact.Meet", [at(t, "Réunion")], [("Place", "a"), ("Place", "b"),
                                                                   ("Participant", "a")])])
    a = score_events([gold], [pred])["arguments"]["overall"]
    assert (a["tp"], a["pred"], a["gold"]) == (1, 3, 1)


def test_arabic_normalised_text_match(rec, at):
    # second occurrences differ from the first by diacritics, alef hamza, alef maqsura and ta marbuta
    t = ("عقد مصطفى اجتماعا مع وزارةُ الصحّة في أكادير. "
         "وقال مصطفي إن وزاره الصحه تدعم اكادير.")
    gold = rec(t, lang="ar", entities=[
        ("g1", "PER", [at(t, "مصطفى")]), ("g2", "ORG", [at(t, "وزارةُ الصحّة")]), ("g3", "LOC", [at(t, "أكادير")]),
    ], events=[("G", "Contact.Meet", [at(t, "اجتماعا")],
                [("Participant", "g1"), ("Participant", "g2"), ("Place", "g3")])])
    pred = rec(t, lang="ar", entities=[
        ("p1", "PER", [at(t, "مصطفي")]), ("p2", "ORG", [at(t, "وزاره الصحه")]), ("p3", "LOC", [at(t, "اكادير")]),
        ("p4", "PER", [at(t, "وقال")]),
    ], events=[("P", "Contact.Meet", [at(t, "اجتماعا")],
                [("Participant", "p4"), ("Participant", "p1"), ("Participant", "p2"), ("Place", "p3")])])
    for g, p in (("g1", "p1"), ("g2", "p2"), ("g3", "p3")):
        assert entities_match(gold, gold.entity(g), pred, pred.entity(p))
    assert not entities_match(gold, gold.entity("g1"), pred, pred.entity("p4"))
    r = score_events([gold], [pred])
    a = r["arguments"]["overall"]
    assert (a["tp"], a["pred"], a["gold"]) == (3, 4, 3)
    assert r["by_lang"]["ar"]["arguments"]["overall"]["recall"] == 1.0


def test_missing_entity_id_is_unmatched_and_warned(rec, at):
    t = "Réunion à Rabat."
    gold = rec(t, entities=[("r", "LOC", [at(t, "Rabat")])],
               events=[("G", "Contact.Meet", [at(t, "Réunion")], [("Place", "r")])])
    pred = rec(t, events=[("P", "Contact.Meet", [at(t, "Réunion")], [("Place", "nope")])])
    r = score_events([gold], [pred])
    assert r["arguments"]["overall"]["tp"] == 0 and r["arguments"]["overall"]["pred"] == 1
    assert any("'nope'" in w for w in r["warnings"])
