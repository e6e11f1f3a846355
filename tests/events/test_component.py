from records import make_record

from healthcoop_nlp.events.component import EventsComponent
from healthcoop_nlp.record import Record

TEXT = ("Le ministre Omar Lahlou s'est entretenu lundi à Dakar avec Awa Ndiaye. "
        "Il a ensuite rencontré jeudi à Abidjan Jean Kouassi.")
ENTS = {"ol": ("PER", ["Omar Lahlou"]), "an": ("PER", ["Awa Ndiaye"]), "jk": ("PER", ["Jean Kouassi"]),
        "dk": ("LOC", ["Dakar"]), "ab": ("LOC", ["Abidjan"]), "d1": ("DATE", ["lundi"]), "d2": ("DATE", ["jeudi"])}


def test_component_contract():
    c = EventsComponent()
    assert (c.name, c.requires, c.provides) == ("events", ("entities",), ("events",))


def test_scores_are_set_and_threshold_drops_low_ones():
    evs = EventsComponent(threshold=0.0, parse=False, method="rules")(make_record(TEXT, "fr", ENTS)).events
    scores = [a.score for e in evs for a in e.arguments] + [e.score for e in evs]
    assert all(s is not None and 0.0 <= s <= 1.0 for s in scores)
    # a cut between the weakest argument and the weakest event keeps the events and drops some arguments
    cut = (min(a.score for e in evs for a in e.arguments) + min(e.score for e in evs)) / 2
    high = EventsComponent(threshold=cut, parse=False, method="rules")(make_record(TEXT, "fr", ENTS)).events
    kept = [a.score for e in high for a in e.arguments]
    assert len(high) == len(evs) and kept and all(s >= cut for s in kept)
    assert len(kept) < len([a for e in evs for a in e.arguments])
    assert EventsComponent(threshold=1.0, parse=False, method="rules")(make_record(TEXT, "fr", ENTS)).events == []


def test_unsupported_language_gives_no_events():
    rec = Record(id="x", text="The minister met his counterpart on Monday.", lang="en")
    assert EventsComponent(parse=False)(rec).events == []


def test_bad_threshold_is_refused():
    import pytest

    with pytest.raises(ValueError, match="between 0 and 1"):
        EventsComponent(threshold=2)
