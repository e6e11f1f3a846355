import pytest

pytestmark = pytest.mark.slow


def test_french_pipeline_groups_and_titles_on_predicted_mentions():
    from healthcoop_nlp import Pipeline

    nlp = Pipeline(["langid", "ner", "entities"])
    text = ("Le ministre de la Santé et de la Protection sociale, Karim Bennani, a reçu mardi à Rabat "
            "le représentant du Fonds des Nations unies pour la population (FNUAP) au Maroc, Luc Moreau. "
            "Bennani a salué l'appui du FNUAP.")
    r = nlp(text, lang="fr")
    ids = [e.id for e in r.entities]
    assert ids == [f"e{i}" for i in range(1, len(ids) + 1)]
    per = {e.name: e for e in r.entities if e.label == "PER"}
    assert "Karim Bennani" in per
    assert [m.text for m in per["Karim Bennani"].mentions] == ["Karim Bennani", "Bennani"]
    assert per["Karim Bennani"].title == "ministre de la Santé et de la Protection sociale"
    fnuap = [e for e in r.entities if any(m.text == "FNUAP" for m in e.mentions)]
    assert len(fnuap) == 1 and len(fnuap[0].mentions) >= 2


def test_finite_verbs_come_from_the_spacy_parse():
    import spacy

    from healthcoop_nlp.entities.component import finite_verb_offsets

    nlp = spacy.load("fr_core_news_sm")
    text = "Le directeur rencontrera demain la ministre déléguée chargée du Budget."
    doc = nlp(text)
    verbs = finite_verb_offsets(doc, text)
    assert text.index("rencontrera") in verbs
    assert text.index("chargée") not in verbs
    assert finite_verb_offsets(doc, text + " ") == frozenset()
