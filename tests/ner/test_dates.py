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
    assert spans("واختتم اليوم الأول من الدورة", "ar") == []
    # "today" before a noun with the article is still a date
    assert spans("استقبل الوزير اليوم السفير الفرنسي", "ar", "2024-03") == [("اليوم", None)]


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


# --- guide 2.1 conventions and section 4 values (sentences written for these tests) ---------

def both_modes(text, lang, doc_date=None):
    """The spans and values in the default (learned) mode, checked equal to the grammar-only mode."""
    learned = spans(text, lang, doc_date)
    grammar = [(m.text, m.value) for m in find_dates(text, lang, doc_date, mode="grammar")]
    assert learned == grammar
    return learned


@pytest.mark.parametrize("text, doc_date, expected", [
    # time of day before the day, with يوم, أمس, اليوم, or a comma
    ("وصل الوفد مساء الأحد إلى المطار.", "2024-03", [("مساء الأحد", None)]),
    ("غادر الوزير ظهر أمس متوجها إلى جنيف.", "2024-03", [("ظهر أمس", None)]),
    ("وانطلقت الأشغال صباح، اليوم الخميس، بالعاصمة.", "2024-03", [("صباح، اليوم الخميس", None)]),
    ("اختتمت الدورة مساء يوم أمس الاثنين بالقاهرة.", "2024-03", [("مساء يوم أمس الاثنين", None)]),
    ("عقدت الجلسة صباح الثلاثاء 12 مارس 2024 بالرباط.", "2024-03", [("صباح الثلاثاء 12 مارس 2024", "2024-03-12")]),
    # the weekday in brackets, after الموافق, and Hijri + Gregorian as one DATE
    ("أعلنت الوزارة اليوم (الخميس) عن البرنامج.", "2024-03", [("اليوم (الخميس)", None)]),
    ("وقع الطرفان الاتفاق الاثنين (4 مارس 2024) بالرياض.", "2024-03", [("الاثنين (4 مارس 2024)", "2024-03-04")]),
    ("انعقد المجلس يوم الأربعاء الموافق 6 مارس من العام الجاري.", "2024-03",
     [("يوم الأربعاء الموافق 6 مارس من العام الجاري", "2024-03-06")]),
    ("صدر القرار في 10 رمضان 1445هـ الموافق 20 مارس 2024م.", "2024-03",
     [("10 رمضان 1445هـ الموافق 20 مارس 2024م", "2024-03-20")]),
    ("صدر القرار في 10 رمضان 1445 هـ الموافق 20 مارس 2024 م بالدوحة.", "2024-03",
     [("10 رمضان 1445 هـ الموافق 20 مارس 2024 م", "2024-03-20")]),
    # a Hijri date alone: the arithmetical calendar's Gregorian day (1 Ramadan 1445 = 11 March 2024)
    ("حرر في 10 رمضان 1445هـ بالمدينة.", "2024-03", [("10 رمضان 1445هـ", "2024-03-20")]),
    ("صدر في 10 / 9 / 1445هـ بالمدينة.", "2024-03", [("10 / 9 / 1445هـ", "2024-03-20")]),
    ("خلال شهر رمضان المبارك", "2024-03", [("شهر رمضان", None)]),
    # long ranges with weekdays and الموافق, and day ranges with يومي
    ("تمتد الحملة من يوم الأحد الموافق 3 مارس إلى يوم الخميس الموافق 7 مارس 2024 في كل المدن.", "2024-03",
     [("يوم الأحد الموافق 3 مارس إلى يوم الخميس الموافق 7 مارس 2024", "2024-03-03/2024-03-07")]),
    ("تنظم الندوة يومي 18 و19 مارس الجاري بتونس.", "2024-03", [("يومي 18 و19 مارس الجاري", "2024-03-18/2024-03-19")]),
    # relative months and years, من الشهر الجاري, منه
    ("تنطلق الحملة في 15 من الشهر الجاري وتستمر إلى 30 منه.", "2024-03",
     [("15 من الشهر الجاري", "2024-03-15"), ("30 منه", "2024-03-30")]),
    ("تحققت النتائج في الربع الثاني من هذا العام.", "2024-03", [("الربع الثاني من هذا العام", "2024-04/2024-06")]),
    ("زار الوفد البلاد الشهر الماضي وسيعود الشهر المقبل.", "2024-01", [("الشهر الماضي", "2023-12"), ("الشهر المقبل", "2024-02")]),
    ("تحسنت المؤشرات خلال العام الماضي وهذا العام.", "2024-03", [("العام الماضي", "2023"), ("هذا العام", "2024")]),
    ("أطلقت المنظمة التقرير الأسبوع الماضي.", "2024-03", [("الأسبوع الماضي", None)]),
    ("وصلت الشحنة في 17 فبراير الماضي.", "2024-03", [("17 فبراير الماضي", "2024-02-17")]),
    ("وصلت الشحنة في الـ 17 من شباط الماضي.", "2024-03", [("الـ 17 من شباط الماضي", "2024-02-17")]),
    ("صدر المرسوم في الثالث من مارس 2024.", "2024-03", [("الثالث من مارس 2024", "2024-03-03")]),
    ("عقدت الدورة في الرابع والخامس من فبراير الماضي.", "2024-03",
     [("الرابع والخامس من فبراير الماضي", "2024-02-04/2024-02-05")]),
    # hyphens, slashes and tatweel in numeric dates
    ("الرباط 26-3-2024 (ومع) - أكد الوزير", "2024-03", [("26-3-2024", "2024-03-26")]),
    ("تم التوقيع يوم الاثنين الموافق 4ـ3ـ2024 بالمقر.", "2024-03", [("يوم الاثنين الموافق 4ـ3ـ2024", "2024-03-04")]),
    ("نشر في 2024-03-05 على الموقع.", "2024-03", [("2024-03-05", "2024-03-05")]),
    ("الخميس، 14/03/2024 - 10:30 أعلنت الوزارة", "2024-03", [("الخميس، 14/03/2024 - 10:30", "2024-03-14")]),
    # month names of both series, paired
    ("في 9 آب/أغسطس 2023 وفي شهر تشرين الأول (أكتوبر) الماضي", "2024-03",
     [("9 آب/أغسطس 2023", "2023-08-09"), ("شهر تشرين الأول (أكتوبر) الماضي", "2023-10")]),
    ("وقع البلدان الاتفاقية في 5 نيسان 2022، ثم جدداها في 12 كانون الثاني 2023.", "2024-03",
     [("5 نيسان 2022", "2022-04-05"), ("12 كانون الثاني 2023", "2023-01-12")]),
])
def test_arabic_conventions(text, doc_date, expected):
    assert both_modes(text, "ar", doc_date) == expected


@pytest.mark.parametrize("text, doc_date, expected", [
    ("La réunion se tiendra le 5 courant à Dakar.", "2024-03", [("5 courant", "2024-03-05")]),
    ("La séance aura lieu le mardi 12 courant à 10h.", "2024-03", [("mardi 12 courant", "2024-03-12")]),
    ("Le don avait été annoncé en mars dernier.", "2024-05", [("mars dernier", "2024-03")]),
    ("Le don avait été annoncé en mars dernier.", "2024-03", [("mars dernier", "2023-03")]),
    ("Le centre a ouvert le 14 février dernier.", "2024-03", [("14 février dernier", "2024-02-14")]),
    ("Les travaux reprendront en janvier prochain.", "2024-01", [("janvier prochain", "2025-01")]),
    ("Le sommet se tiendra le 16 septembre prochain.", "2024-03", [("16 septembre prochain", "2024-09-16")]),
    ("Le taux a baissé depuis l'an dernier et cette année.", "2024-03", [("an dernier", "2023"), ("cette année", "2024")]),
    ("Le plan a été adopté la semaine dernière.", "2024-03", [("semaine dernière", None)]),
    ("La campagne a commencé au mois de mai.", "2024-06", [("mois de mai", "2024-05")]),
    ("Le rapport sera publié à la fin du mois prochain.", "2024-03", [("fin du mois prochain", "2024-04")]),
    ("Le ministre a reçu jeudi matin la délégation.", "2024-03", [("jeudi matin", None)]),
    ("Il est arrivé mercredi soir 6 mars à Niamey.", "2024-03", [("mercredi soir 6 mars", "2024-03-06")]),
    ("La délégation est partie dimanche dernier en soirée.", "2024-03", [("dimanche dernier en soirée", None)]),
    ("La convention a été signée ce mardi 5 mars 2024 à Abidjan.", "2024-03",
     [("ce mardi 5 mars 2024", "2024-03-05")]),
    ("Le ministre a signé cet après-midi une convention.", "2024-03", [("cet après-midi", None)]),
    ("Les assises ont lieu du 12/03/2024 au 14/03/2024 à Lomé.", "2024-03", [("12/03/2024 au 14/03/2024", "2024-03-12/2024-03-14")]),
    ("Le projet couvre la période 2024-2026.", "2024-03", [("2024-2026", "2024/2026")]),
    ("Les résultats du premier semestre 2023 sont bons.", "2024-03", [("premier semestre 2023", "2023-01/2023-06")]),
    ("Lundi 4 mars 2024 à 10h30 - Le ministre a ouvert la session.", "2024-03",
     [("Lundi 4 mars 2024 à 10h30", "2024-03-04")]),
    ("Mardi et mercredi, la mission a visité trois régions.", "2024-03", [("Mardi et mercredi", None)]),
    ("Le salon a ouvert jeudi 7 March à Tunis.", "2024-03", [("jeudi 7 March", "2024-03-07")]),
    ("La mission arrive ce week-end, pas le week-end dernier.", "2024-03",
     [("ce week-end", None), ("week-end dernier", None)]),
    ("Les sept pays ont signé.", "2024-03", []),  # "sept" is a month only after a day number
])
def test_french_conventions(text, doc_date, expected):
    assert both_modes(text, "fr", doc_date) == expected


@pytest.mark.parametrize("text, lang, doc_date, value", [
    # day and month without a year: the document's year ...
    ("Le comité s'est réuni le 20 mai.", "fr", "2024-06", "2024-05-20"),
    ("Le comité se réunira le 20 décembre.", "fr", "2024-06", "2024-12-20"),  # six months ahead: same year
    # ... the year before when that lands more than six months after the document month
    ("Le comité s'est réuni le 20 décembre.", "fr", "2024-05", "2023-12-20"),
    ("عقد الاجتماع في 28 ديسمبر.", "ar", "2024-02", "2023-12-28"),
    ("عقد الاجتماع في 28 أغسطس.", "ar", "2024-02", "2024-08-28"),  # exactly six months: same year
    # a range over the new year takes each end's year
    ("La campagne va du 28 décembre au 3 janvier.", "fr", "2024-01", "2023-12-28/2024-01-03"),
    # an explicit year wins over the document date
    ("Le comité s'est réuni le 20 décembre 2021.", "fr", "2024-05", "2021-12-20"),
])
def test_six_month_rule(text, lang, doc_date, value):
    got = find_dates(text, lang, doc_date)
    assert [m.value for m in got] == [value]


def test_day_of_publication_unknown_means_no_value_for_relative_days():
    # the document date is a month: hier, اليوم, a bare weekday and la semaine dernière have no value
    for text, lang in [("Le ministre est arrivé hier.", "fr"), ("استقبل الوزير اليوم وفدا", "ar"),
                       ("La réunion a eu lieu lundi.", "fr"), ("Le plan a été adopté la semaine dernière.", "fr")]:
        assert [m.value for m in find_dates(text, lang, "2024-03")] == [None]


def test_relative_months_resolve_against_the_document_month():
    assert [m.value for m in find_dates("Les chiffres du mois dernier sont connus.", "fr", "2024-01")] == ["2023-12"]
    assert [m.value for m in find_dates("سيعقد المؤتمر العام المقبل", "ar", "2024-12")] == ["2025"]


def test_grammar_candidates_and_vetoes():
    from healthcoop_nlp.ner.dates import candidates
    text = "Plus de 2000 cas en 2023; le rapport 2024 et la sonde Mars."
    by_span = {text[c.start:c.end]: c for c in candidates(text, "fr")}
    assert by_span["2000"].veto                       # a count after a quantity word
    assert by_span["2023"].rule_ok and not by_span["2023"].veto
    assert not by_span["2024"].rule_ok and not by_span["2024"].veto  # no cue word: left to the model
    assert by_span["Mars"].veto                       # a lone capitalised month name


def test_unknown_mode_is_an_error_that_names_the_modes():
    with pytest.raises(ValueError, match="learned, grammar, all"):
        find_dates("le 3 mars", "fr", mode="rules")


def test_select_flat_keeps_the_longest_non_overlapping_candidates_in_text_order():
    from healthcoop_nlp.ner.dates import Candidate, select_flat
    cs = [Candidate(0, 5, "day", True), Candidate(3, 12, "day", True), Candidate(10, 14, "year", True),
          Candidate(14, 18, "year", True), Candidate(4, 8, "month", True)]
    assert [(c.start, c.end) for c in select_flat(cs)] == [(3, 12), (14, 18)]


def test_nested_candidates_are_marked():
    from healthcoop_nlp.ner.dates import candidates
    text = "Le forum du lundi 4 mars 2024 à Dakar."
    cs = {text[c.start:c.end]: c.nested for c in candidates(text, "fr")}
    assert cs["lundi 4 mars 2024"] is False and cs["2024"] is True
