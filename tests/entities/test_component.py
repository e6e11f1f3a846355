from healthcoop_nlp.entities.component import EntitiesComponent
from healthcoop_nlp.record import Entity, Record

from .conftest import mark


def ner_output(text: str, spans: list[tuple[str, str]], lang: str = "fr") -> Record:
    """A record as the ner component leaves it: one entity per mention, ids m0, m1..., in text order."""
    r = Record(id="t1", text=text, lang=lang)
    r.entities = [Entity(id=f"m{i}", label=lab, mentions=[m], name=m.text)
                  for i, (lab, m) in enumerate(mark(text, spans))]
    return r


TEXT = ("La directrice de l'Organisation internationale pour les migrations (OIM), Clara Ruiz, "
        "s'est rendue lundi à Dakar. Ruiz a rencontré les autorités du Sénégal. L'OIM financera le projet.")
SPANS = [("ORG", "Organisation internationale pour les migrations"), ("ORG", "OIM"), ("PER", "Clara Ruiz"),
         ("DATE", "lundi"), ("LOC", "Dakar"), ("PER", "Ruiz"), ("LOC", "Sénégal"), ("ORG", "OIM")]


def test_ids_in_order_of_first_mention_names_longest_mentions_sorted():
    r = EntitiesComponent(gazetteer=False)(ner_output(TEXT, SPANS))
    assert [e.id for e in r.entities] == ["e1", "e2", "e3", "e4", "e5"]
    assert [(e.label, e.name) for e in r.entities] == [
        ("ORG", "Organisation internationale pour les migrations"), ("PER", "Clara Ruiz"),
        ("DATE", "lundi"), ("LOC", "Dakar"), ("LOC", "Sénégal")]
    org = r.entities[0]
    assert [m.text for m in org.mentions] == ["Organisation internationale pour les migrations", "OIM", "OIM"]
    assert all(a.start < b.start for a, b in zip(org.mentions, org.mentions[1:]))
    per = r.entities[1]
    assert [m.text for m in per.mentions] == ["Clara Ruiz", "Ruiz"]
    assert per.title == "directrice de l'Organisation internationale pour les migrations (OIM)"


def test_input_order_does_not_matter_and_every_mention_is_kept_once():
    rec = ner_output(TEXT, SPANS)
    rec.entities.reverse()
    r = EntitiesComponent(gazetteer=False)(rec)
    spans = sorted((m.start, m.end) for e in r.entities for m in e.mentions)
    assert spans == sorted((m.start, m.end) for _, m in mark(TEXT, SPANS))
    assert r.entities[0].name == "Organisation internationale pour les migrations"


def test_person_without_title_has_null_title_and_other_labels_have_none():
    text = "Clara Ruiz est arrivée à Dakar."
    r = EntitiesComponent(gazetteer=False)(ner_output(text, [("PER", "Clara Ruiz"), ("LOC", "Dakar")]))
    per, loc = r.entities
    assert per.title is None and per.to_dict()["title"] is None
    assert "title" not in loc.to_dict()


def test_empty_record_and_pipeline_contract():
    comp = EntitiesComponent()
    assert (comp.name, comp.requires, comp.provides) == ("entities", ("mentions",), ("entities",))
    assert comp(Record(id="x", text="", lang="fr")).entities == []
    assert comp.pipe([ner_output(TEXT, SPANS)])[0].entities[0].id == "e1"


def test_arabic_record():
    text = "استقبلت وزيرة الصحة منى الفاسي ممثل منظمة الصحة العالمية. وأكدت الفاسي أهمية دعم الصحة العالمية."
    spans = [("PER", "منى الفاسي"), ("ORG", "منظمة الصحة العالمية"), ("PER", "الفاسي"), ("ORG", "الصحة العالمية")]
    r = EntitiesComponent(gazetteer=False)(ner_output(text, spans, "ar"))
    assert [(e.id, e.label, e.name, len(e.mentions)) for e in r.entities] == [
        ("e1", "PER", "منى الفاسي", 2), ("e2", "ORG", "منظمة الصحة العالمية", 2)]
    assert r.entities[0].title == "وزيرة الصحة"
