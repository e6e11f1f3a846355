"""The langid pipeline component."""

import pytest

from healthcoop_nlp.langid import LangResult, Segment
from healthcoop_nlp.langid.component import LangIdComponent
from healthcoop_nlp.pipeline import Pipeline
from healthcoop_nlp.record import Record


class FakeIdentifier:
    """Says the text is Darija Arabic, whatever it is."""

    def identify(self, text, segments=False):
        segs = [Segment(0, len(text), "ar", 0.9, "ary")]
        return LangResult("ar", 0.9, "ary", segs if segments else None)

    def identify_batch(self, texts, segments=False):
        return [self.identify(t, segments=segments) for t in texts]

    combine = staticmethod(__import__("healthcoop_nlp.langid", fromlist=["LanguageIdentifier"]).LanguageIdentifier.combine)


def component() -> LangIdComponent:
    c = LangIdComponent()
    c._identifier = FakeIdentifier()  # type: ignore[assignment]
    return c


def test_contract():
    assert (LangIdComponent.name, LangIdComponent.requires, LangIdComponent.provides) == ("langid", ("text",), ("lang",))


def test_sets_lang_and_dialect():
    r = component()(Record(id="d", text="شنو كاين"))
    assert (r.lang, r.dialect) == ("ar", "ary")
    assert r.annotations["lang_segments"][0].lang == "ar"


def test_keeps_a_given_language():
    rec = Record(id="d", text="anything", lang="fr")
    rec.annotations["lang_given"] = True
    r = component()(rec)
    assert (r.lang, r.dialect) == ("fr", None)


def test_given_arabic_still_gets_its_dialect():
    rec = Record(id="d", text="anything", lang="ar")
    rec.annotations["lang_given"] = True
    r = component()(rec)
    assert (r.lang, r.dialect) == ("ar", "ary")


def test_pipe_matches_call():
    recs = component().pipe([Record(id="a", text="x"), Record(id="b", text="y")])
    assert [(r.lang, r.dialect) for r in recs] == [("ar", "ary")] * 2
    assert all(r.annotations["lang_segments"][0].lang == "ar" for r in recs)


@pytest.mark.slow
def test_pipe_gives_the_same_records_as_one_by_one():
    texts = ["La réunion s'est tenue à Rabat avec les partenaires.", "واش كاين شي طبيب فالسبيطار ديال الحومة دابا؟",
             "أعلنت وزارة الصحة عن حملة وطنية للتلقيح. Le ministre a salué « الصحة حق للجميع في كل مكان » hier.",
             "2024 !!", "", "OMS", "وزير"]
    c = LangIdComponent()
    one = [c(Record(id=str(i), text=t)) for i, t in enumerate(texts)]
    many = c.pipe([Record(id=str(i), text=t) for i, t in enumerate(texts)])
    key = lambda r: (r.lang, r.dialect, [x.to_dict() for x in r.annotations["lang_segments"]])  # noqa: E731
    assert [key(r) for r in many] == [key(r) for r in one]
    assert [r.lang for r in many][:3] == ["fr", "ar", "ar"]


def test_letterless_text_in_the_pipeline_is_und():
    r = Pipeline(["langid"])("2024-03-01 !!")
    assert (r.lang, r.dialect) == ("und", None)


@pytest.mark.slow
def test_pipeline_identifies_and_keeps_given_language():
    nlp = Pipeline(["langid"])
    text = "Le ministre de la Santé a reçu une délégation de l'OMS à Rabat pour parler de vaccination."
    assert nlp(text).lang == "fr"
    assert nlp(text, lang="ar").lang == "ar"
    darija = "واش كاين شي طبيب فالسبيطار ديال الحومة دابا؟ بغيت نمشي نديرو التلقيح"
    r = nlp(darija, lang="ar")
    assert (r.lang, r.dialect) == ("ar", "ary")
