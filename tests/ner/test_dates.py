"""DATE spans and values for French and Arabic (fast: no model)."""

import pytest

from healthcoop_nlp.ner.dates import find_dates


def spans(text, lang, doc_date=None):
    out = []
    for m in find_dates(text, lang, doc_date):
        assert text[m.start:m.end] == m.text
        out.append((m.text, m.value))
    return out


@pytest.mark.parametrize("text, doc_date, expected", [
    ("Le forum se tient du 12 au 15 mars 2025 à Dakar.", None, [("12 au 15 mars 2025", "2025-03-12/2025-03-15")]),
    ("Les travaux ont duré du 30 novembre au 2 décembre 2022.", None,
     [("30 novembre au 2 décembre 2022", "2022-11-30/2022-12-02")]),
    ("Les rencontres ont lieu entre le 3 et le 6 juin 2021.", None, [("3 et le 6 juin 2021", "2021-06-03/2021-06-06")]),
    ("vendredi, 7 juin, 2019 à 14:05\nTunis - Le ministre", None, [("vendredi, 7 juin, 2019 à 14:05", "2019-06-07")]),
    ("Le sommet de ce jeudi 9 novembre 2023 a eu lieu à Genève.", None, [("ce jeudi 9 novembre 2023", "2023-11-09")]),
    ("Dakar, 12 octobre, APS", "2022-10", [("12 octobre", "2022-10-12")]),
    ("Le plan sera lancé en 2026.", None, [("2026", "2026")]),
    ("Le 1er avril 2020, le pays a fermé ses frontières.", None, [("1er avril 2020", "2020-04-01")]),
    ("Le rapport couvre la période 2019-2022.", None, [("2019-2022", "2019/2022")]),
    ("Le budget de juillet 2024 est voté.", None, [("juillet 2024", "2024-07")]),
])
def test_french_spans_and_values(text, doc_date, expected):
    assert spans(text, "fr", doc_date) == expected


def test_french_durations_and_counts_are_not_dates():
    assert spans("La mission a duré deux jours et a réuni 2500 personnes.", "fr") == []
    assert spans("Il a rendu visite pendant trois semaines.", "fr") == []


def test_french_weekday_resolution_needs_a_full_document_date():
    text = "Le ministre a reçu jeudi son homologue; il partira demain."
    assert spans(text, "fr", "2024-05") == [("jeudi", None), ("demain", None)]
    # 2024-05-17 is a Friday: jeudi is the day before, demain the day after
    assert spans(text, "fr", "2024-05-17") == [("jeudi", "2024-05-16"), ("demain", "2024-05-18")]


def test_french_capitalised_bare_month_is_not_a_date_but_lowercase_is():
    assert spans("La sonde vers Mars est partie en avril.", "fr") == [("avril", None)]


def test_french_relative_day_with_curly_apostrophe():
    assert spans("Aujourd’hui, la campagne commence.", "fr", "2023-09-04") == [("Aujourd’hui", "2023-09-04")]


def test_french_impossible_calendar_date_is_rejected():
    assert all(v != "2024-02-31" for _, v in spans("le 31 février 2024", "fr"))


@pytest.mark.parametrize("text, doc_date, expected", [
    ("استقبل الوزير أمس الثلاثاء بالرباط وفدا", "2024-06-05", [("أمس الثلاثاء", "2024-06-04")]),
    ("أعلنت الوزارة اليوم الخميس عن برنامج", None, [("اليوم الخميس", None)]),
    ("عقد الاجتماع يوم الأحد 3 نوفمبر 2024 بالقاهرة", None, [("يوم الأحد 3 نوفمبر 2024", "2024-11-03")]),
    ("انعقد المؤتمر في 14 شباط 2023", None, [("14 شباط 2023", "2023-02-14")]),
    ("في 5 أكتوبر/تشرين الأول 2022", None, [("5 أكتوبر/تشرين الأول 2022", "2022-10-05")]),
    ("تنظم الدورة من 10 إلى 12 دجنبر 2024", None, [("10 إلى 12 دجنبر 2024", "2024-12-10/2024-12-12")]),
    ("تهدف الخطة إلى القضاء على المرض بحلول عام 2030", None, [("عام 2030", "2030")]),
    ("وسنة ٢٠٢١ كانت صعبة", None, [("سنة ٢٠٢١", "2021")]),
])
def test_arabic_spans_and_values(text, doc_date, expected):
    assert spans(text, "ar", doc_date) == expected


def test_arabic_proclitics_are_outside_the_span():
    text = "وأمس أعلن الوزير ولعام 2025 وللعام 2026"
    got = find_dates(text, "ar")
    assert [m.text for m in got] == ["أمس", "عام 2025", "لعام 2026"]
    assert text[got[0].start - 1] == "و"
    # لل + noun: the span starts after the first ل
    assert text[got[2].start - 2:got[2].start] == "ول"


def test_arabic_world_day_and_duration_are_not_dates():
    assert spans("احتفل العالم باليوم العالمي للصحة على مدى يومين", "ar") == []


def test_arabic_bare_month_name_needs_a_month_word():
    assert spans("مارس الأطباء مهنتهم خلال شهر مارس", "ar") == [("شهر مارس", None)]


def test_arabic_alef_variants_match():
    assert [t for t, _ in spans("وصل يوم الاثنين. وغادر يوم الإثنين.", "ar")] == ["يوم الاثنين", "يوم الإثنين"]


def test_bare_year_needs_a_cue_and_no_quantity_word():
    assert spans("Le budget pour 2027 est prêt.", "fr") == [("2027", "2027")]
    assert spans("Plus de 2000 cas et près de 1950 décès.", "fr") == []
    assert spans("سجلت أكثر من 2000 حالة في 2023", "ar") == [("2023", "2023")]


def test_range_with_weekdays_on_both_ends():
    assert spans("Le salon ouvre du lundi 2 au jeudi 5 octobre 2023.", "fr") == [
        ("lundi 2 au jeudi 5 octobre 2023", "2023-10-02/2023-10-05")]


def test_next_weekday_after_prochain_or_almuqbil():
    # 2024-05-17 is a Friday; the qualifier is inside the span (guide 2.1)
    assert spans("La réunion aura lieu mardi prochain.", "fr", "2024-05-17") == [("mardi prochain", "2024-05-21")]
    assert spans("يعقد الاجتماع يوم الأحد المقبل", "ar", "2024-05-17") == [("يوم الأحد المقبل", "2024-05-19")]


def test_arabic_dateline_with_time():
    assert spans("الاثنين 04 مارس 2024 - 10:15", "ar") == [("الاثنين 04 مارس 2024 - 10:15", "2024-03-04")]
