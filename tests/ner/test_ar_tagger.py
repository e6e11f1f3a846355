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


@pytest.fixture(scope="module")
def default_tagger():
    from healthcoop_nlp.ner.ar import load_tagger

    return load_tagger()


def test_the_default_model_is_the_bilstm_ensemble_and_loads_without_pickles(default_tagger):
    from pathlib import Path

    from healthcoop_nlp.paths import model_path

    assert default_tagger.arch == "lstm" and len(default_tagger._lstm.model.members) >= 2
    files = [p for p in Path(model_path("ar_ner")).rglob("*") if p.is_file()]
    assert not [p for p in files if p.suffix in {".pkl", ".pickle", ".pt", ".pth", ".bin", ".joblib", ".npy"}]
    assert {p.suffix for p in files if p.parent.name != "experiments"} <= {".json", ".safetensors", ".crfsuite", ".md"}
    assert sum(p.stat().st_size for p in files) < 50 * 2**20


def test_health_cooperation_conventions(default_tagger):
    # ANNOTATION 2.1: official long forms and WHO regions whole; an institution by its type and a
    # country is one ORG; honorifics stay outside PER
    text = ("استقبل وزير الصحة بالجمهورية اللبنانية الدكتور سليم الحداد في بيروت سفير جمهورية كوريا، "
            "وبحثا دعم مستشفيات إقليم شرق المتوسط بالتعاون مع منظمة الصحة العالمية.")
    got = _tag(default_tagger, text)
    assert ("LOC", "الجمهورية اللبنانية") in got
    assert ("LOC", "إقليم شرق المتوسط") in got
    assert ("PER", "سليم الحداد") in got
    assert ("LOC", "بيروت") in got
    assert ("ORG", "منظمة الصحة العالمية") in got


def test_embassy_and_government_are_organisations(default_tagger):
    text = "وقعت الحكومة الإيطالية اتفاقية مع وزارة الصحة، وحضر التوقيع ممثل عن السفارة الفرنسية في عمان."
    got = _tag(default_tagger, text)
    assert ("ORG", "الحكومة الإيطالية") in got
    assert ("ORG", "السفارة الفرنسية") in got
    assert ("ORG", "وزارة الصحة") in got
