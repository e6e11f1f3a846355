from healthcoop_nlp.entities.grouping import acronym_letters, group_mentions, initials, is_acronym, mention_key
from healthcoop_nlp.record import Mention

from .conftest import groups_as_text, mark


def same_group(mentions, groups, a: int, b: int) -> bool:
    return any(a in g and b in g for g in groups)


def test_acronym_in_brackets_joins_even_when_initials_differ():
    text = ("Le Fonds des Nations unies pour la population (FNUAP) a ouvert un bureau. "
            "Le FNUAP financera trois cliniques.")
    ms = mark(text, [("ORG", "Fonds des Nations unies pour la population"), ("ORG", "FNUAP"), ("ORG", "FNUAP")])
    groups = group_mentions(text, ms)
    assert len(groups) == 1 and groups[0] == [0, 1, 2]


def test_acronym_from_initials_skips_french_function_words():
    text = "Le Programme alimentaire mondial livrera des vivres. Selon le PAM, la livraison est prête."
    ms = mark(text, [("ORG", "Programme alimentaire mondial"), ("ORG", "PAM")])
    assert group_mentions(text, ms) == [[0, 1]]
    assert initials("Organisation des Nations unies") == list("onu")
    assert is_acronym("O.N.U.") and acronym_letters("O.N.U.") == list("onu")


def test_acronym_with_other_initials_stays_apart():
    text = "Le Programme alimentaire mondial et l'OMC ont signé."
    ms = mark(text, [("ORG", "Programme alimentaire mondial"), ("ORG", "OMC")])
    assert len(group_mentions(text, ms)) == 2


def test_surname_and_first_name_join_the_full_name():
    text = "Nadia Benali a visité Agadir. Benali a ensuite rencontré les élus. Nadia a conclu."
    ms = mark(text, [("PER", "Nadia Benali"), ("LOC", "Agadir"), ("PER", "Benali"), ("PER", "Nadia")])
    groups = group_mentions(text, ms)
    assert groups_as_text(ms, groups) == [["Nadia Benali", "Benali", "Nadia"], ["Agadir"]]


def test_shared_surname_goes_to_the_nearest_full_name_before_it():
    text = "Karim Alaoui a reçu Samira Alaoui. Plus tard, Alaoui a remercié son hôte."
    ms = mark(text, [("PER", "Karim Alaoui"), ("PER", "Samira Alaoui"), ("PER", "Alaoui")])
    groups = group_mentions(text, ms)
    assert groups_as_text(ms, groups) == [["Karim Alaoui"], ["Samira Alaoui", "Alaoui"]]


def test_arabic_alef_ta_marbuta_diacritics_and_proclitic_variants_join():
    text = "زار وفد منظمة الأمم المتحدة الرباط، وأشاد ممثل مُنظّمة الامم المتحده بالتعاون مع والمغرب والمغرب."
    ms = mark(text, [("ORG", "منظمة الأمم المتحدة"), ("LOC", "الرباط"), ("ORG", "مُنظّمة الامم المتحده"),
                     ("LOC", "والمغرب"), ("LOC", "المغرب")])
    groups = group_mentions(text, ms)
    assert same_group(ms, groups, 0, 2)
    assert same_group(ms, groups, 3, 4)
    assert not same_group(ms, groups, 1, 3)
    assert mention_key("للمنظمة") == mention_key("المنظمة")


def test_arabic_abbreviation_spaced_and_dotted_and_long_form():
    text = "الرباط (و م ع) - نقلت وكالة المغرب العربي للأنباء الخبر، وذكرت و.م.ع أن الاجتماع ناجح."
    ms = mark(text, [("LOC", "الرباط"), ("ORG", "و م ع"), ("ORG", "وكالة المغرب العربي للأنباء"), ("ORG", "و.م.ع")])
    groups = group_mentions(text, ms)
    assert same_group(ms, groups, 1, 3) and same_group(ms, groups, 1, 2)


def test_arabic_org_without_its_head_word_joins_the_full_name():
    text = "أعلنت منظمة الصحة العالمية برنامجا جديدا، وقالت الصحة العالمية إنه يشمل عشرة بلدان."
    ms = mark(text, [("ORG", "منظمة الصحة العالمية"), ("ORG", "الصحة العالمية")])
    assert group_mentions(text, ms) == [[0, 1]]


def test_org_short_form_with_same_head_joins():
    text = "La Commission nationale de bioéthique s'est réunie. La Commission de bioéthique a publié un avis."
    ms = mark(text, [("ORG", "Commission nationale de bioéthique"), ("ORG", "Commission de bioéthique")])
    assert group_mentions(text, ms) == [[0, 1]]


def test_named_body_and_its_parent_stay_apart():
    text = "Le Comité d'éthique de l'UNESCO a siégé. La Fédération de l'UNESCO pour la jeunesse aussi. L'UNESCO a salué."
    ms = mark(text, [("ORG", "Comité d'éthique"), ("ORG", "UNESCO"), ("ORG", "Fédération de l'UNESCO pour la jeunesse"),
                     ("ORG", "UNESCO")])
    groups = group_mentions(text, ms)
    assert groups_as_text(ms, groups) == [["Comité d'éthique"], ["UNESCO", "UNESCO"],
                                          ["Fédération de l'UNESCO pour la jeunesse"]]


def test_country_and_its_state_name_join():
    text = "La République du Sénégal a accueilli la réunion. Le Sénégal a présidé les débats."
    ms = mark(text, [("LOC", "République du Sénégal"), ("LOC", "Sénégal")])
    assert group_mentions(text, ms) == [[0, 1]]


def test_gazetteer_keys_join_and_different_keys_block_only_the_fuzzy_rules():
    text = "Le Bureau international du travail et l'ILO ont parlé; le BIT et la Banque ont signé."
    ms = mark(text, [("ORG", "Bureau international du travail"), ("ORG", "ILO"), ("ORG", "BIT"), ("ORG", "Banque")])
    keys = {"Bureau international du travail": "ilo", "ILO": "ilo", "BIT": "ilo"}
    groups = group_mentions(text, ms, keys.get)
    assert groups_as_text(ms, groups) == [["Bureau international du travail", "ILO", "BIT"], ["Banque"]]
    # two acronyms one letter apart are a typo only when no gazetteer says otherwise
    text2 = "L'UNESCO et l'UNESCA ont signé."
    ms2 = mark(text2, [("ORG", "UNESCO"), ("ORG", "UNESCA")])
    assert len(group_mentions(text2, ms2)) == 1
    assert len(group_mentions(text2, ms2, {"UNESCO": "unesco", "UNESCA": "other"}.get)) == 2
    # an acronym in brackets next to its long form joins it whatever the keys say
    text3 = "L'Organisation mondiale de la Santé (OMS) a parlé."
    ms3 = mark(text3, [("ORG", "Organisation mondiale de la Santé"), ("ORG", "OMS")])
    assert len(group_mentions(text3, ms3, {"Organisation mondiale de la Santé": "who", "OMS": "oms"}.get)) == 1


def test_real_gazetteer_pair_when_available():
    import pytest

    from healthcoop_nlp.entities.component import gazetteer_lookup

    key_of = gazetteer_lookup("fr")
    if key_of is None or key_of("OMS") is None:
        pytest.skip("no French gazetteer entry for OMS yet")
    text = "Le Fonds pour la santé de l'OMS : l'Organisation mondiale de la Santé le gère."
    ms = mark(text, [("ORG", "OMS"), ("ORG", "Organisation mondiale de la Santé")])
    assert group_mentions(text, ms, key_of) == [[0, 1]]


def test_no_merge_across_labels():
    text = "Le club Tunis a joué à Tunis contre Tunis."
    ms = mark(text, [("ORG", "Tunis"), ("LOC", "Tunis"), ("PER", "Tunis")])
    assert len(group_mentions(text, ms)) == 3


def test_dates_join_on_same_text_or_same_day_only():
    text = "Lundi, la réunion s'est ouverte. Mardi, elle a continué. Le comité se réunira de nouveau lundi."
    ms = mark(text, [("DATE", "Lundi"), ("DATE", "Mardi"), ("DATE", "lundi")])
    assert group_mentions(text, ms) == [[0, 2], [1]]
    text2 = "le 3 mai 2024 puis ce vendredi 3 mai 2024 et en mai 2024"
    m1, m2, m3 = (m for _, m in mark(text2, [("DATE", "3 mai 2024"), ("DATE", "ce vendredi 3 mai 2024"),
                                             ("DATE", "mai 2024")]))
    m1.value, m2.value, m3.value = "2024-05-03", "2024-05-03", "2024-05"
    groups = group_mentions(text2, [("DATE", m1), ("DATE", m2), ("DATE", m3)])
    assert groups == [[0, 1], [2]]
    # a DATE never joins a mention of another label, whatever its text
    ms3 = mark("Mai Mai", [("DATE", "Mai"), ("PER", "Mai")])
    assert len(group_mentions("Mai Mai", ms3)) == 2


def test_places_named_after_a_place_stay_apart():
    text = "Le match au Stade de Genève oppose la Suisse; Genève accueille aussi la République de Guinée et la Guinée."
    ms = mark(text, [("LOC", "Stade de Genève"), ("LOC", "Suisse"), ("LOC", "Genève"),
                     ("LOC", "République de Guinée"), ("LOC", "Guinée")])
    groups = group_mentions(text, ms)
    assert groups_as_text(ms, groups) == [["Stade de Genève"], ["Suisse"], ["Genève"],
                                          ["République de Guinée", "Guinée"]]


def test_hyphenated_first_names_numerals_and_particles_do_not_join_a_person():
    text = "Jean-Marc Diallo, Marc Sow, Louis XIV et Ben Salah. Marc a parlé; Ben et XIV aussi."
    ms = mark(text, [("PER", "Jean-Marc Diallo"), ("PER", "Marc Sow"), ("PER", "Louis XIV"), ("PER", "Ben Salah"),
                     ("PER", "Marc"), ("PER", "Ben"), ("PER", "XIV")])
    groups = group_mentions(text, ms)
    assert same_group(ms, groups, 1, 4)
    assert not same_group(ms, groups, 0, 4)
    assert not same_group(ms, groups, 3, 5) and not same_group(ms, groups, 2, 6)


def test_bracket_rule_needs_the_acronym_inside_or_matching_initials():
    text = "La compagnie KLM (SkyTeam) et l'OMT (Organisation mondiale du tourisme) ont signé."
    ms = mark(text, [("ORG", "KLM"), ("ORG", "SkyTeam"), ("ORG", "OMT"), ("ORG", "Organisation mondiale du tourisme")])
    groups = group_mentions(text, ms)
    assert not same_group(ms, groups, 0, 1) and same_group(ms, groups, 2, 3)


def test_org_with_a_different_compound_or_a_number_stays_apart():
    text = "Le Parti socialiste et le Parti socialiste-ouvrier unifié; le Plan santé II et le Plan santé."
    ms = mark(text, [("ORG", "Parti socialiste"), ("ORG", "Parti socialiste-ouvrier unifié"),
                     ("ORG", "Plan santé II"), ("ORG", "Plan santé")])
    assert len(group_mentions(text, ms)) == 4


def test_dateline_agency_in_brackets_is_not_an_acronym_of_the_place():
    text = "Organisation centrale (APS) - Le bureau de l'Organisation centrale a ouvert."
    ms = mark(text, [("ORG", "Organisation centrale"), ("ORG", "APS"), ("ORG", "Organisation centrale")])
    groups = group_mentions(text, ms)
    assert groups == [[0, 2], [1]]


def test_the_father_s_name_after_bin_is_another_person():
    text = "استقبل فهد بن عبد الله آل زيد الوفد. وكان عبد الله آل زيد قد زار المدينة. وقال فهد إن آل زيد و بن عبد الله ..."
    ms = mark(text, [("PER", "فهد بن عبد الله آل زيد"), ("PER", "عبد الله آل زيد"), ("PER", "فهد"),
                     ("PER", "بن عبد الله")])
    groups = group_mentions(text, ms)
    assert same_group(ms, groups, 0, 2) and same_group(ms, groups, 0, 3)
    assert not same_group(ms, groups, 0, 1)


def test_state_adjective_forms_and_one_word_arabic_acronyms():
    text = "La République tunisienne et la Tunisie; le Niger et la République nigériane."
    ms = mark(text, [("LOC", "République tunisienne"), ("LOC", "Tunisie"), ("LOC", "Niger"),
                     ("LOC", "République nigériane")])
    assert group_mentions(text, ms) == [[0, 1], [2], [3]]
    text2 = "أكدت المملكة الأردنية الهاشمية أن الأردن يدعم المبادرة، حسب وكالة الأنباء الأردنية (بترا) ووكالة الأنباء الأردنية."
    ms2 = mark(text2, [("LOC", "المملكة الأردنية الهاشمية"), ("LOC", "الأردن"), ("ORG", "وكالة الأنباء الأردنية"),
                       ("ORG", "بترا"), ("ORG", "وكالة الأنباء الأردنية")])
    groups = group_mentions(text2, ms2)
    assert same_group(ms2, groups, 0, 1) and same_group(ms2, groups, 2, 3) and same_group(ms2, groups, 2, 4)
    text3 = "نقلت وكالة الأنباء الجزائرية الخبر عن واج."
    ms3 = mark(text3, [("ORG", "وكالة الأنباء الجزائرية"), ("ORG", "واج")])
    assert group_mentions(text3, ms3) == [[0, 1]]
    text4 = "أعلنت وزارة الصحة العمومية أن شركة نور تبرعت."
    ms4 = mark(text4, [("ORG", "وزارة الصحة العمومية"), ("ORG", "نور")])
    assert len(group_mentions(text4, ms4)) == 2


def test_arabic_mention_cut_after_the_first_lam_of_lil_joins_its_full_form():
    text = "وصل الوفد إلى المغرب أمس، وقدم الدعم للمغرب في المجال الصحي."
    ms = mark(text, [("LOC", "المغرب"), ("LOC", "لمغرب")])
    assert ms[1][1].text == "لمغرب" and text[ms[1][1].start - 1] == "ل"
    assert group_mentions(text, ms) == [[0, 1]]
    # a name that starts with ل on its own (لبنان) is not changed
    text2 = "زار لبنان ثم البنان"
    ms2 = mark(text2, [("LOC", "لبنان"), ("LOC", "البنان")])
    assert len(group_mentions(text2, ms2)) == 2


def test_state_and_administrative_forms_join_the_short_name():
    text = "وقعت جمهورية بنغلاديش الشعبية اتفاقا مع بنغلاديش ومع دولة فلسطين وفلسطين، وزار محافظة الوادي الجديد ثم الوادي الجديد ثم جنوب السودان والسودان."
    spans = [("LOC", "جمهورية بنغلاديش الشعبية"), ("LOC", "بنغلاديش"), ("LOC", "دولة فلسطين"), ("LOC", "فلسطين"),
             ("LOC", "محافظة الوادي الجديد"), ("LOC", "الوادي الجديد"), ("LOC", "جنوب السودان"), ("LOC", "السودان")]
    ms = mark(text, spans)
    assert groups_as_text(ms, group_mentions(text, ms)) == [
        ["جمهورية بنغلاديش الشعبية", "بنغلاديش"], ["دولة فلسطين", "فلسطين"], ["محافظة الوادي الجديد", "الوادي الجديد"],
        ["جنوب السودان"], ["السودان"]]
    text2 = "L'Etat du Koweït et la Fédération de Saint-Christophe-et-Niévès : le Koweït et Saint-Christophe-et-Niévès."
    ms2 = mark(text2, [("LOC", "Etat du Koweït"), ("LOC", "Fédération de Saint-Christophe-et-Niévès"), ("LOC", "Koweït"),
                       ("LOC", "Saint-Christophe-et-Niévès")])
    assert groups_as_text(ms2, group_mentions(text2, ms2)) == [
        ["Etat du Koweït", "Koweït"], ["Fédération de Saint-Christophe-et-Niévès", "Saint-Christophe-et-Niévès"]]


def test_a_shorter_date_inside_one_longer_date_joins_it():
    text = "Lundi 6 mai 2024, la réunion a eu lieu. Ce lundi, les experts ont parlé de mai 2024 et de 2024."
    ms = mark(text, [("DATE", "Lundi 6 mai 2024"), ("DATE", "lundi"), ("DATE", "mai 2024"), ("DATE", "2024")])
    assert groups_as_text(ms, group_mentions(text, ms)) == [["Lundi 6 mai 2024", "lundi"], ["mai 2024"], ["2024"]]


def test_a_person_part_with_an_honorific_left_in_the_span_joins_the_full_name():
    text = "Karim Benali a parlé. Ensuite MM Benali et Tazi ont signé."
    ms = mark(text, [("PER", "Karim Benali"), ("PER", "MM Benali"), ("PER", "Tazi")])
    assert groups_as_text(ms, group_mentions(text, ms)) == [["Karim Benali", "MM Benali"], ["Tazi"]]


def test_arabic_name_after_the_preposition_lam_and_with_or_without_article():
    text = "قدمت الوكالة الدعم للبنان، ووصل الوفد إلى لبنان. وشكرت اليونيسف ثم يونيسف."
    ms = mark(text, [("LOC", "لبنان"), ("LOC", "لبنان"), ("ORG", "اليونيسف"), ("ORG", "يونيسف")])
    assert groups_as_text(ms, group_mentions(text, ms)) == [["لبنان", "لبنان"], ["اليونيسف", "يونيسف"]]


def test_spelling_variants_and_state_form_with_article_join():
    text = "La République de la Sierra Leone a aidé la Sierra Leone. Réunion à Ouagadougou puis à Ouagadougu."
    ms = mark(text, [("LOC", "République de la Sierra Leone"), ("LOC", "Sierra Leone"), ("LOC", "Ouagadougou"),
                     ("LOC", "Ouagadougu")])
    assert groups_as_text(ms, group_mentions(text, ms)) == [
        ["République de la Sierra Leone", "Sierra Leone"], ["Ouagadougou", "Ouagadougu"]]
    text2 = "Le Mali et le Bali."  # short names one letter apart are other places
    ms2 = mark(text2, [("LOC", "Mali"), ("LOC", "Bali")])
    assert len(group_mentions(text2, ms2)) == 2


def test_state_forms_join_even_when_the_gazetteer_keys_disagree():
    text = "وقعت مملكة النرويج اتفاقا، وقالت النرويج إن الجمهورية الغانية وغانا شريكان."
    ms = mark(text, [("LOC", "مملكة النرويج"), ("LOC", "النرويج"), ("LOC", "الجمهورية الغانية"), ("LOC", "غانا")])
    keys = {"مملكة النرويج": "no", "النرويج": "norway", "غانا": "ghana"}
    assert groups_as_text(ms, group_mentions(text, ms, keys.get)) == [
        ["مملكة النرويج", "النرويج"], ["الجمهورية الغانية", "غانا"]]


def test_org_name_without_its_type_word_or_place():
    text = "L'hôpital Lumière a reçu du matériel; Lumière soignera plus de patients. Le CICR Niger et le CICR ont parlé, pas le centre."
    ms = mark(text, [("ORG", "hôpital Lumière"), ("ORG", "Lumière"), ("ORG", "CICR Niger"), ("ORG", "CICR")])
    assert groups_as_text(ms, group_mentions(text, ms)) == [["hôpital Lumière", "Lumière"], ["CICR Niger", "CICR"]]
    text2 = "Le centre Avenir et le centre ont signé."  # a lower-case word is no name
    ms2 = mark(text2, [("ORG", "centre Avenir"), ("ORG", "centre")])
    assert len(group_mentions(text2, ms2)) == 2
