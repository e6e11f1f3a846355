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


def _synthetic_gold(n: int) -> list[str]:
    """Built articles (no hcnews text): a meeting told twice and a donation, alternating languages' names."""
    out = []
    for k in range(n):
        a, b, place = f"Karim Alaoui{k}", f"Sara Benali{k}", ("Rabat", "Dakar", "Tunis")[k % 3]
        text = (f"Le ministre {a} a reçu lundi à {place} {b}. Cette rencontre a porté sur la santé. "
                f"Le Japon a fait un don de matériel au Maroc. Le ministre a salué la coopération.")
        ents = []
        for eid, lab, surf in (("a", "PER", a), ("b", "PER", b), ("p", "LOC", place), ("d", "DATE", "lundi"),
                               ("j", "LOC", "Japon"), ("m", "LOC", "Maroc")):
            s = text.index(surf)
            ents.append({"id": eid, "label": lab, "name": surf, "mentions": [{"start": s, "end": s + len(surf),
                                                                                "text": surf}]})

        def span(w, nth=0):
            s = text.index(w)
            for _ in range(nth):
                s = text.index(w, s + 1)
            return {"start": s, "end": s + len(w), "text": w}

        events = [
            {"id": "v1", "type": "Contact.Meet", "triggers": [span("reçu"), span("rencontre")],
             "arguments": [{"role": "Participant", "entity": "a"}, {"role": "Participant", "entity": "b"},
                           {"role": "Place", "entity": "p"}, {"role": "Time", "entity": "d"}]},
            {"id": "v2", "type": "Aid.Donate", "triggers": [span("don")],
             "arguments": [{"role": "Donor", "entity": "j"}, {"role": "Recipient", "entity": "m"}]},
        ]
        out.append(json.dumps({"id": f"s{k}", "lang": "fr", "text": text, "entities": ents, "events": events},
                              ensure_ascii=False))
    return out


def test_training_command_writes_a_model_that_predicts(tmp_path):
    from healthcoop_nlp.train.events import main

    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(_synthetic_gold(10)) + "\n", encoding="utf-8")
    out = tmp_path / "events.json"
    assert main(["--train", str(gold), "--no-dev", "--no-parse", "--out", str(out)]) == 0
    raw = json.loads(out.read_text(encoding="utf-8"))
    assert "reçu" in raw["known"] and "don" in raw["known"] and "bias" in raw["event"]
    comp = EventsComponent(model=str(out))
    text = "Le ministre Ali Hassan a reçu lundi à Tunis Nadia Slim. Le Japon a fait un don de matériel au Maroc."
    ents = {"a": ("PER", ["Ali Hassan"]), "b": ("PER", ["Nadia Slim"]), "p": ("LOC", ["Tunis"]),
            "d": ("DATE", ["lundi"]), "j": ("LOC", ["Japon"]), "m": ("LOC", ["Maroc"])}
    evs = comp(make_record(text, "fr", ents)).events
    assert {e.type for e in evs} == {"Contact.Meet", "Aid.Donate"}
    meet = next(e for e in evs if e.type == "Contact.Meet")
    assert ("Participant", "a") in args_of(meet) and ("Time", "d") in args_of(meet)


def test_precision_option_picks_the_dev_threshold():
    models = load_models(model_path("events") / "events.json")
    table = models.calibration["events"]
    want = sorted(r["precision"] for r in table)[len(table) // 2]
    th = models.threshold_for("events", want)
    assert all(r["precision"] < want for r in table if r["threshold"] < th)
    assert EventsComponent(precision=want).threshold == th
    with pytest.raises(ValueError, match="ask for less"):
        models.threshold_for("arguments", 1.01)


def test_learned_host_meeting_two_guests_apart_gives_two_events(learned):
    # one verb told twice (the merging question); "reçu", also a verb of receiving aid, is the least sure
    # meeting verb of train and its second telling scores near the event threshold
    text = ("Le ministre de la Santé, Omar Lahlou, a rencontré lundi à Rabat l'ambassadeur du Japon, Kenji Sato. "
            "Il a également rencontré mardi la représentante de l'UNICEF, Awa Diop.")
    ents = {"ol": ("PER", ["Omar Lahlou"]), "ks": ("PER", ["Kenji Sato"]), "ad": ("PER", ["Awa Diop"]),
            "rb": ("LOC", ["Rabat"]), "jp": ("LOC", ["Japon"]), "un": ("ORG", ["UNICEF"]),
            "d1": ("DATE", ["lundi"]), "d2": ("DATE", ["mardi"])}
    meets = [e for e in learned(make_record(text, "fr", ents)).events if e.type == "Contact.Meet"]
    assert len(meets) == 2
    first, second = sorted(meets, key=lambda e: e.triggers[0].start)
    assert {("Participant", "ol"), ("Participant", "ks"), ("Time", "d1")} <= args_of(first)
    assert ("Participant", "ad") in args_of(second) and ("Time", "d2") in args_of(second)
    assert ("Participant", "ad") not in args_of(first)


@pytest.mark.xfail(strict=True, reason="known limitation: the second telling of 'a reçu' (a verb also of receiving aid) "
                   "scores just under the event threshold, so the second reception is lost (issue #20)")
def test_learned_host_receiving_two_guests_apart_gives_two_events(learned):
    text = ("Le ministre de la Santé, Omar Lahlou, a reçu lundi à Rabat l'ambassadeur du Japon, Kenji Sato. "
            "Il a également reçu mardi la représentante de l'UNICEF, Awa Diop.")
    ents = {"ol": ("PER", ["Omar Lahlou"]), "ks": ("PER", ["Kenji Sato"]), "ad": ("PER", ["Awa Diop"]),
            "rb": ("LOC", ["Rabat"]), "jp": ("LOC", ["Japon"]), "un": ("ORG", ["UNICEF"]),
            "d1": ("DATE", ["lundi"]), "d2": ("DATE", ["mardi"])}
    meets = [e for e in learned(make_record(text, "fr", ents)).events if e.type == "Contact.Meet"]
    assert len(meets) == 2


def test_learned_wish_is_not_an_event(learned):
    text = "Le ministre Omar Lahlou a appelé à renforcer la coopération avec l'Organisation mondiale de la Santé."
    ents = {"ol": ("PER", ["Omar Lahlou"]), "who": ("ORG", ["Organisation mondiale de la Santé"])}
    assert learned(make_record(text, "fr", ents)).events == []


def test_learned_arabic_reception_links_both_sides(learned):
    text = "استقبل وزير الصحة خالد العمري أمس في الرباط سفير اليابان كينجي ساتو."
    ents = {"k": ("PER", ["خالد العمري"]), "s": ("PER", ["كينجي ساتو"]), "r": ("LOC", ["الرباط"]),
            "j": ("LOC", ["اليابان"]), "d": ("DATE", ["أمس"])}
    evs = learned(make_record(text, "ar", ents)).events
    assert [e.type for e in evs] == ["Contact.Meet"]
    assert {("Participant", "k"), ("Participant", "s"), ("Place", "r"), ("Time", "d")} <= args_of(evs[0])


def test_learned_donation_donor_and_recipient(learned):
    text = "Le Japon a offert lundi un don de matériel médical au ministère de la Santé du Niger."
    ents = {"j": ("LOC", ["Japon"]), "m": ("ORG", ["ministère de la Santé"]), "n": ("LOC", ["Niger"]),
            "d": ("DATE", ["lundi"])}
    evs = learned(make_record(text, "fr", ents)).events
    assert [e.type for e in evs] == ["Aid.Donate"]
    assert {("Donor", "j"), ("Recipient", "m"), ("Time", "d")} <= args_of(evs[0])


def test_one_place_and_one_time_per_event_the_most_probable():
    from healthcoop_nlp.events.learned import single_valued

    links = [("Participant", "a", 0.9), ("Participant", "b", 0.4), ("Place", "p1", 0.3), ("Place", "p2", 0.7),
             ("Time", "d1", 0.8), ("Time", "d2", 0.5)]
    assert single_valued(links) == [("Participant", "a", 0.9), ("Participant", "b", 0.4), ("Place", "p2", 0.7),
                                    ("Time", "d1", 0.8)]
    assert single_valued([]) == []


def test_cluster_link_is_the_merge_models_view_of_two_events():
    from healthcoop_nlp.events.learned import cluster_link
    from healthcoop_nlp.events.features import mention_at

    text = ("La ministre Lina Haddad a tenu une réunion lundi avec Paul Morel. "
            "Cette réunion a porté sur les vaccins. Une autre réunion a eu lieu jeudi avec Ana Ruiz.")
    rec = make_record(text, "fr", {"lh": ("PER", ["Lina Haddad"]), "pm": ("PER", ["Paul Morel"]),
                                   "ar": ("PER", ["Ana Ruiz"]), "d1": ("DATE", ["lundi"]), "d2": ("DATE", ["jeudi"])})
    ctx = build_context(rec)
    view = DocView(ctx, load_lexicon("fr"), load_cues("fr"))
    toks = [i for i, w in enumerate(ctx.norm) if w == "réunion"]
    a, b, c = ([(mention_at(view, i), 0.9)] for i in toks)
    merge = load_models(model_path("events") / "events.json").merge
    assert cluster_link(view, merge, "Contact.Meet", a, [a]) == 0.0  # alone of its type
    near = cluster_link(view, merge, "Contact.Meet", b, [a, b, c])  # "cette réunion": the first one again
    far = cluster_link(view, merge, "Contact.Meet", c, [a + b, c])  # "une autre réunion", another date
    assert 0.0 < far < near <= 1.0


def test_event_threshold_is_the_highest_near_the_best_pooled_f1():
    from healthcoop_nlp.train.events import choose_event_threshold

    rows = [{"threshold": 0.3, "pooled_f1": 0.750, "f1": 0.70}, {"threshold": 0.4, "pooled_f1": 0.758, "f1": 0.72},
            {"threshold": 0.5, "pooled_f1": 0.754, "f1": 0.80}, {"threshold": 0.6, "pooled_f1": 0.740, "f1": 0.75}]
    assert choose_event_threshold(rows) == 0.5
    assert choose_event_threshold(rows, tie=0.0) == 0.4
    assert choose_event_threshold(rows, key="f1", tie=0.0) == 0.5


def test_out_of_fold_event_counts_fall_with_the_threshold():
    from healthcoop_nlp.train.events import oof_event_counts

    # two kinds of events over ten documents: "good" ones match a gold event, "bad" ones do not
    rows = [["good", f"d{k}"] if k % 2 else ["bad", f"d{k}"] for k in range(40)]
    y = [k % 2 for k in range(40)]
    matches = [(k % 10, "Contact.Meet", None, None) for k in range(40)]
    counts = oof_event_counts(rows, y, matches, n_gold=25, c=1.0, grid=[0.2, 0.5, 0.8])
    assert counts[0.5] == (20, 20, 25)  # the held-out fold's model keeps every good event, drops every bad one
    assert [counts[t][1] for t in (0.2, 0.5, 0.8)] == sorted((counts[t][1] for t in (0.2, 0.5, 0.8)), reverse=True)
