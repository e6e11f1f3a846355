"""The shipped Arabic tagger (loads models/ar_ner): offsets, flat output, proclitics, titles, DATE."""

import pytest

from healthcoop_nlp.record import LABELS, Record

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=["lstm", "crf"])
def tagger(request):
    from healthcoop_nlp.ner.ar import load_tagger

    return load_tagger(arch=request.param)


def _tag(tagger, text, date=None):
    out = tagger.tag(Record(id="t", text=text, date=date))
    for label, m in out:
        assert label in LABELS
        assert text[m.start:m.end] == m.text
    spans = sorted((m.start, m.end) for _, m in out)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), "mentions overlap"
    return [(label, m.text) for label, m in out]


def test_proclitics_are_outside_spans(tagger):
    got = _tag(tagger, "وصل الوفد بمراكش قادما من الرباط، ووجه رسالة لمنظمة الصحة العالمية والمغرب.")
    assert ("LOC", "مراكش") in got
    assert ("LOC", "الرباط") in got
    assert ("ORG", "منظمة الصحة العالمية") in got
    assert ("LOC", "المغرب") in got


def test_lam_lam_contraction(tagger):
    got = _tag(tagger, "أعلن المدير العام للمنظمة العربية للتربية والثقافة والعلوم عن برنامج جديد.")
    assert all(not t.startswith("لل") for _, t in got)


def test_diacritics_and_tatweel_keep_raw_offsets(tagger):
    text = "زار الوزير مُـراكش والـمَغْرِب أمس."
    got = _tag(tagger, text)
    assert ("LOC", "المَغْرِب".replace("ال", "الـ", 1)) in got or ("LOC", "الـمَغْرِب") in got


def test_latin_acronym_inside_arabic(tagger):
    got = _tag(tagger, "وقالت منظمة الصحة العالمية (WHO) إن الوضع في جنيف مستقر.")
    assert ("ORG", "منظمة الصحة العالمية") in got
    assert ("LOC", "جنيف") in got


def test_titles_are_outside_person_spans(tagger):
    got = _tag(tagger, "استقبل الملك محمد السادس السيد أنطونيو غوتيريش في الرباط.")
    pers = [t for lab, t in got if lab == "PER"]
    assert pers, got
    assert all(not t.startswith(("الملك", "السيد")) for t in pers)


def test_news_agency_and_ministry(tagger):
    got = _tag(tagger, "الرباط (و م ع) - أعلنت وزارة الصحة والحماية الاجتماعية عن حملة جديدة.")
    assert ("ORG", "و م ع") in got
    assert ("ORG", "وزارة الصحة والحماية الاجتماعية") in got


def test_dates_come_from_the_date_engine(tagger):
    got = _tag(tagger, "انطلقت أمس الاثنين بمراكش أشغال الاجتماع.", date="2024-03")
    assert any(lab == "DATE" for lab, _ in got)


def test_a_name_does_not_end_on_a_particle(tagger):
    words = ["قال", "خالد", "آيت", "الطالب", "."]
    assert tagger.fix_tags(words, ["O", "B-PER", "I-PER", "O", "O"]) == ["O", "B-PER", "I-PER", "I-PER", "O"]
    assert tagger.fix_tags(["السيد", "خالد"], ["B-PER", "I-PER"]) == ["O", "B-PER"]
