import json

from healthcoop_nlp.record import Entity, Event, Mention, Record, Span


def test_gold_round_trips_exactly(gold_dicts):
    for g in gold_dicts:
        r = Record.from_dict(g)
        assert r.to_dict() == g
        assert Record.from_json(r.to_json()).to_dict() == g


def test_optional_fields_absent_stay_absent_and_present_stay_present():
    d = {
        "id": "x", "source": None, "date": None, "lang": "fr", "dialect": None, "text": "Rabat hier",
        "entities": [
            {"id": "a", "label": "LOC", "mentions": [{"start": 0, "end": 5, "text": "Rabat", "score": 0.5}]},
            {"id": "b", "label": "DATE", "name": "hier",
             "mentions": [{"start": 6, "end": 10, "text": "hier", "value": None}]},
        ],
        "events": [{"id": "v1", "type": "Contact.Meet", "triggers": [{"start": 0, "end": 5, "text": "Rabat"}],
                    "arguments": [{"role": "Place", "entity": "a", "score": 0.9}], "score": 0.7}],
    }
    assert Record.from_dict(d).to_dict() == d


def test_per_entity_always_writes_title():
    e = Entity(id="p", label="PER", mentions=[Mention(0, 3, "Ali")])
    assert e.to_dict()["title"] is None
    assert "title" not in Entity(id="l", label="LOC", mentions=[Mention(0, 3, "Fès")]).to_dict()


def test_helpers():
    r = Record(id="d", text="Ali à Fès", entities=[
        Entity("l", "LOC", [Mention(6, 9, "Fès")]), Entity("p", "PER", [Mention(0, 3, "Ali")])])
    assert [m.text for m, _ in r.mentions()] == ["Ali", "Fès"]
    assert r.entity("l").label == "LOC"
    assert Span(0, 3, "Ali").overlaps(Span(2, 5, "i à"))
    assert not Span(0, 3, "Ali").overlaps(Span(3, 5, " à"))
    assert json.loads(r.to_json())["lang"] == "und"
    assert "annotations" not in r.to_dict()
