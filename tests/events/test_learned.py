"""The learned event steps: JSON linear models, shared features, and the shipped model on built sentences."""

import json

import pytest
from records import args_of, make_record

from healthcoop_nlp.events.component import EventsComponent
from healthcoop_nlp.events.context import build_context
from healthcoop_nlp.events.factuality import load_cues
from healthcoop_nlp.events.features import DocView, bucket, find_candidates, prior_features, role_features, \
    stem_fr, trigger_features
from healthcoop_nlp.events.linear import LinearModel, load_models
from healthcoop_nlp.events.triggers import load_lexicon
from healthcoop_nlp.paths import model_path


def test_linear_model_is_a_sigmoid_of_the_summed_weights():
    m = LinearModel(bias=-1.0, weights={"a": 2.0, "b": 0.5})
    assert m.score([]) == pytest.approx(1 / (1 + 2.718281828 ** 1.0))
    assert m.score(["a", "b", "unknown"]) == pytest.approx(1 / (1 + 2.718281828 ** -1.5))
    assert LinearModel.from_dict(m.to_dict()) == m


def test_missing_model_says_how_to_rebuild(tmp_path):
    with pytest.raises(FileNotFoundError, match="train.events"):
        load_models(tmp_path / "none.json")


def test_shipped_model_is_plain_json_with_all_steps():
    path = model_path("events") / "events.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert set(raw["trigger"]) == {"Contact.Meet", "Movement.Visit", "Personnel.Appoint", "Agreement.Sign",
                                   "Initiative.Launch", "Aid.Donate"}
    assert {"noparse"} <= set(raw["args"]) and "merge" in raw
    assert 0 < raw["thresholds"]["event"] < 1 and 0 < raw["thresholds"]["argument"] < 1
    # the calibration table: precision rises with the threshold overall
    ev = raw["calibration"]["events"]
    assert ev[-1]["precision"] >= ev[0]["precision"]


def test_buckets_and_stems():
    assert [bucket(n) for n in (0, 1, 4, 6, 30)] == ["0", "1", "3", "5", "21"]
    assert stem_fr("accueillie") == stem_fr("accueilli") == "accuei"
    assert stem_fr("don") is None


def test_prior_features_leave_one_out():
    prior = {"visite": [10, 0, 8]}
    f = prior_features(["visite"], prior, ("A", "B"))
    assert "wprior_B=0.7" in f and "wprior_A=0.0" in f
    # removing the document's own counts leaves nothing seen: the key is unseen
    assert prior_features(["visite"], prior, ("A", "B"), exclude={"visite": [10, 0, 8]}) == ["unseen"]


def test_role_features_conjoin_role_and_type():
    assert role_features("Aid.Donate", "Donor", ["lab=ORG"]) == ["R=Donor", "T=Aid.Donate|Donor", "Donor|lab=ORG"]


def test_candidates_are_known_words_outside_entities():
    rec = make_record("La ministre Awa Ndiaye a reçu lundi le directeur.", "fr",
                      {"an": ("PER", ["Awa Ndiaye"]), "d": ("DATE", ["lundi"])})
    view = DocView(build_context(rec), load_lexicon("fr"), load_cues("fr"))
    cands = find_candidates(view, frozenset({"reçu", "awa"}))
    words = [rec.text[c.start:c.end] for c in cands]
    assert "reçu" in words and "Awa" not in words
    f = trigger_features(view, next(c for c in cands if rec.text[c.start:c.end] == "reçu"), frozenset({"reçu"}))
    assert "w=reçu" in f and "has_DATE" in f and "ent_prev=PER" in f


@pytest.fixture(scope="module")
def learned():
    return EventsComponent()


def test_learned_meeting_with_both_sides(learned):
    text = ("Rabat, 12 mars 2024 - Le ministre de la Santé, Omar Lahlou, s'est entretenu lundi à Rabat avec "
            "la directrice régionale de l'Organisation mondiale de la Santé, Awa Ndiaye. Les deux responsables "
            "ont examiné la coopération entre le Maroc et l'Organisation.")
    ents = {"ol": ("PER", ["Omar Lahlou"]), "an": ("PER", ["Awa Ndiaye"]), "rb": ("LOC", ["Rabat"]),
            "who": ("ORG", ["Organisation mondiale de la Santé"]), "ma": ("LOC", ["Maroc"]),
            "d0": ("DATE", ["12 mars 2024"]), "d1": ("DATE", ["lundi"])}
    evs = learned(make_record(text, "fr", ents)).events
    meets = [e for e in evs if e.type == "Contact.Meet"]
    assert len(meets) == 1
    assert {("Participant", "ol"), ("Participant", "an")} <= args_of(meets[0])
    assert all(e.score is not None and 0 <= e.score <= 1 for e in evs)
    assert all(a.score is not None for a in meets[0].arguments)


def test_learned_arabic_agreement(learned):
    text = "وقعت وزارة الصحة ومنظمة الصحة العالمية أمس في الرباط اتفاقية لتعزيز التعاون في مجال الصحة."
    ents = {"moh": ("ORG", ["وزارة الصحة"]), "who": ("ORG", ["منظمة الصحة العالمية"]),
            "rb": ("LOC", ["الرباط"]), "d": ("DATE", ["أمس"])}
    evs = learned(make_record(text, "ar", ents)).events
    signs = [e for e in evs if e.type == "Agreement.Sign"]
    assert len(signs) == 1
    assert ("Party", "who") in args_of(signs[0])


def test_thresholds_trade_recall_for_precision():
    text = ("Le ministre Omar Lahlou a reçu lundi à Dakar Awa Ndiaye. Il a ensuite rencontré jeudi "
            "à Abidjan Jean Kouassi. Une convention a été signée.")
    ents = {"ol": ("PER", ["Omar Lahlou"]), "an": ("PER", ["Awa Ndiaye"]), "jk": ("PER", ["Jean Kouassi"]),
            "dk": ("LOC", ["Dakar"]), "ab": ("LOC", ["Abidjan"]), "d1": ("DATE", ["lundi"]), "d2": ("DATE", ["jeudi"])}
    low = EventsComponent(threshold=0.05, arg_threshold=0.05)(make_record(text, "fr", ents)).events
    high = EventsComponent(threshold=0.9, arg_threshold=0.9)(make_record(text, "fr", ents)).events
    assert len(high) <= len(low)
    assert sum(len(e.arguments) for e in high) < sum(len(e.arguments) for e in low)
    assert all(a.score >= 0.9 for e in high for a in e.arguments)
