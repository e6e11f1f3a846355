from healthcoop_nlp.entities.titles import find_titles

from .conftest import mark


def titles_of(text: str, spans: list[tuple[str, str]], lang: str = "fr") -> dict[str, str | None]:
    ms = mark(text, spans)
    found = find_titles(text, ms, lang)
    return {m.text: (t.text if t else None) for (lab, m), t in zip(ms, found) if lab == "PER"}


def test_title_before_name_with_commas():
    text = "Le directeur de l'Agence marocaine de coopération internationale, Youssef Amrani, a signé l'accord."
    got = titles_of(text, [("ORG", "Agence marocaine de coopération internationale"), ("PER", "Youssef Amrani")])
    assert got == {"Youssef Amrani": "directeur de l'Agence marocaine de coopération internationale"}


def test_title_before_name_without_commas():
    text = "Hier, la ministre de l'Intérieur Salma Idrissi a présidé la séance."
    assert titles_of(text, [("PER", "Salma Idrissi")]) == {"Salma Idrissi": "ministre de l'Intérieur"}


def test_title_after_name_with_and_without_commas():
    text = "Youssef Amrani, ambassadeur du Maroc en Tunisie, a reçu la délégation."
    got = titles_of(text, [("PER", "Youssef Amrani"), ("LOC", "Maroc"), ("LOC", "Tunisie")])
    assert got == {"Youssef Amrani": "ambassadeur du Maroc en Tunisie"}
    text2 = "Selon Youssef Amrani conseiller technique du programme, les travaux avancent."
    assert titles_of(text2, [("PER", "Youssef Amrani")]) == {"Youssef Amrani": "conseiller technique du programme"}


def test_honorifics_and_articles_are_outside_the_title():
    text = "La présidente de la Fondation, Mme Leila Tazi, et le Dr Omar Fassi ont visité l'hôpital."
    got = titles_of(text, [("PER", "Leila Tazi"), ("PER", "Omar Fassi")])
    assert got == {"Leila Tazi": "présidente de la Fondation", "Omar Fassi": None}
    text2 = "Son Excellence le Président Paul Mensah est arrivé."
    assert titles_of(text2, [("PER", "Paul Mensah")]) == {"Paul Mensah": "Président"}


def test_title_with_an_org_acronym_in_brackets_and_a_comma_continuation():
    text = ("Omar Fassi, représentant du Fonds des Nations unies pour l'enfance (UNICEF) au Niger, "
            "et la ministre de l'Éducation, de la Jeunesse et des Sports, Awa Diallo, ont signé.")
    got = titles_of(text, [("PER", "Omar Fassi"), ("ORG", "Fonds des Nations unies pour l'enfance"),
                           ("ORG", "UNICEF"), ("LOC", "Niger"), ("PER", "Awa Diallo")])
    assert got == {
        "Omar Fassi": "représentant du Fonds des Nations unies pour l'enfance (UNICEF) au Niger",
        "Awa Diallo": "ministre de l'Éducation, de la Jeunesse et des Sports",
    }


def test_no_title_when_a_verb_or_another_person_stands_between():
    text = "Le ministre a reçu Mme Leila Tazi. Awa Diallo, Omar Fassi et Leila Tazi sont arrivés."
    got = titles_of(text, [("PER", "Leila Tazi"), ("PER", "Awa Diallo"), ("PER", "Omar Fassi"), ("PER", "Leila Tazi")])
    assert set(got.values()) == {None}


def test_an_apposition_between_two_names_belongs_to_the_first():
    text = "Ont pris la parole Omar Fassi, président du Conseil régional, Awa Diallo et d'autres."
    got = titles_of(text, [("PER", "Omar Fassi"), ("ORG", "Conseil régional"), ("PER", "Awa Diallo")])
    assert got == {"Omar Fassi": "président du Conseil régional", "Awa Diallo": None}


def test_arabic_title_before_name_with_and_without_comma():
    text = "استقبل وزير الصحة سعيد العلوي، أمس، سفيرة اليابان بالرباط، هند الشامي."
    got = titles_of(text, [("PER", "سعيد العلوي"), ("LOC", "اليابان"), ("LOC", "الرباط"), ("PER", "هند الشامي")], "ar")
    assert got == {"سعيد العلوي": "وزير الصحة", "هند الشامي": "سفيرة اليابان بالرباط"}


def test_arabic_honorific_excluded_and_title_after_name():
    text = "وقال السيد سعيد العلوي، رئيس المجلس الجهوي للصحة، إن المشروع سيكتمل."
    got = titles_of(text, [("PER", "سعيد العلوي"), ("ORG", "المجلس الجهوي للصحة")], "ar")
    assert got == {"سعيد العلوي": "رئيس المجلس الجهوي للصحة"}
    text2 = "التقى الدكتور سعيد العلوي بالوفد."
    assert titles_of(text2, [("PER", "سعيد العلوي")], "ar") == {"سعيد العلوي": None}


def test_non_person_mentions_get_no_title():
    text = "Le directeur de l'hôpital, Rabat, est loin."
    ms = mark(text, [("LOC", "Rabat")])
    assert find_titles(text, ms, "fr") == [None]


def test_arabic_list_of_names_each_with_its_title_after_it():
    text = "حضر اللقاء سمير الحداد المدير العام للمستشفى والسيدة ليلى منصور نائبة المدير العام والسيد كريم زيدان المدير المالي."
    got = titles_of(text, [("PER", "سمير الحداد"), ("PER", "ليلى منصور"), ("PER", "كريم زيدان")], "ar")
    assert got == {"سمير الحداد": "المدير العام للمستشفى", "ليلى منصور": "نائبة المدير العام",
                   "كريم زيدان": "المدير المالي"}


def test_a_number_ends_a_title():
    text = "Jean Morel, président 2019-2023 du club, a parlé."
    assert titles_of(text, [("PER", "Jean Morel")]) == {"Jean Morel": "président"}


def test_shipped_lexicons_hold_heads_honorifics_and_stops():
    from healthcoop_nlp.entities.lexicon import load_lexicon

    fr, ar = load_lexicon("fr"), load_lexicon("ar")
    assert ("ministre",) in fr.heads and ("roi",) in fr.heads and ("dr",) in fr.honorifics
    assert ("roi",) not in fr.honorifics and "avec" in fr.stops and ("de",) in fr.continuations
    assert ("وزير",) in ar.heads and ("سيد",) in ar.honorifics and "مع" in ar.stops


def test_stacked_titles_and_charge_de_continue_after_a_comma():
    text = ("Le wali de la région de l'Oriental, gouverneur de la préfecture d'Oujda, Samir Haddou, "
            "et Nabil Kettani, ministre délégué auprès du ministre des Finances, chargé du Budget, ont signé.")
    got = titles_of(text, [("LOC", "Oriental"), ("LOC", "Oujda"), ("PER", "Samir Haddou"), ("PER", "Nabil Kettani")])
    assert got == {
        "Samir Haddou": "wali de la région de l'Oriental, gouverneur de la préfecture d'Oujda",
        "Nabil Kettani": "ministre délégué auprès du ministre des Finances, chargé du Budget",
    }


def test_arabic_ambassador_title_with_lada():
    text = "استقبل سفير تونس لدى كندا منير الصافي وفدا طبيا."
    got = titles_of(text, [("LOC", "تونس"), ("LOC", "كندا"), ("PER", "منير الصافي")], "ar")
    assert got == {"منير الصافي": "سفير تونس لدى كندا"}


def test_a_title_running_into_the_next_name_is_that_name_s():
    text = "دعا النائب الديمقراطي سامي رحال الرئيس الفرنسي جان دوبون إلى الحوار."
    got = titles_of(text, [("PER", "سامي رحال"), ("PER", "جان دوبون")], "ar")
    assert got == {"سامي رحال": "النائب الديمقراطي", "جان دوبون": "الرئيس الفرنسي"}
    text2 = "Selon Paul Martin le président Jean Dubois a tranché."
    got2 = titles_of(text2, [("PER", "Paul Martin"), ("PER", "Jean Dubois")])
    assert got2 == {"Paul Martin": None, "Jean Dubois": "président"}


def test_a_list_of_names_with_appositions_joined_by_et_de():
    text = ("La signature a eu lieu en présence de Mme Inès Tazi, cheffe du service des urgences, "
            "et de M. Paul Ndiaye, directeur de l'hôpital.")
    got = titles_of(text, [("PER", "Inès Tazi"), ("PER", "Paul Ndiaye")])
    assert got == {"Inès Tazi": "cheffe du service des urgences", "Paul Ndiaye": "directeur de l'hôpital"}


def test_arabic_title_head_with_attached_conjunction_starts_after_it():
    text = "وحضر اللقاء السيد عمر زيان، ومدير المستشفى الجامعي بفاس، نادر العلمي."
    got = titles_of(text, [("PER", "عمر زيان"), ("LOC", "فاس"), ("PER", "نادر العلمي")], "ar")
    assert got == {"عمر زيان": None, "نادر العلمي": "مدير المستشفى الجامعي بفاس"}


def test_a_finite_verb_from_a_parse_ends_a_title():
    text = "Le directeur de l'hôpital régional accompagnera demain Salma Idrissi."
    ms = mark(text, [("PER", "Salma Idrissi")])
    assert find_titles(text, ms, "fr")[0].text == "directeur de l'hôpital régional accompagnera demain"
    assert find_titles(text, ms, "fr", finite_verbs=[text.index("accompagnera")]) == [None]


def test_arabic_title_after_name_stops_where_the_clause_goes_on():
    text = "وأعلن منير الصافي مدير مستشفى الولادة الجهوي ارتفاع عدد المواليد، فيما بعث سعيد العلوي رئيس المجلس ببرقية تهنئة."
    got = titles_of(text, [("PER", "منير الصافي"), ("PER", "سعيد العلوي")], "ar")
    assert got == {"منير الصافي": "مدير مستشفى الولادة الجهوي", "سعيد العلوي": "رئيس المجلس"}


def test_a_title_goes_on_through_the_preposition_a():
    # ``à`` is not the verb ``a`` (accents matter for stop words)
    text = "Le don a été remis par l'ambassadeur du Japon à Dakar, Kenji Sato, lors d'une cérémonie."
    got = titles_of(text, [("LOC", "Japon"), ("LOC", "Dakar"), ("PER", "Kenji Sato")])
    assert got == {"Kenji Sato": "ambassadeur du Japon à Dakar"}
    text2 = "Il a rencontré Kenji Sato, qui a salué l'accord."
    assert titles_of(text2, [("PER", "Kenji Sato")]) == {"Kenji Sato": None}


def test_a_modifier_before_the_head_and_a_rank_between_title_and_name():
    text = "Il a reçu la nouvelle directrice du centre, Anne Morel. Le chef d'état-major, le colonel Paul Vidal, était là."
    got = titles_of(text, [("PER", "Anne Morel"), ("PER", "Paul Vidal")])
    assert got == {"Anne Morel": "nouvelle directrice du centre", "Paul Vidal": "chef d'état-major"}


def test_a_date_is_never_inside_a_title():
    text = "وزير الصحة يوم 3 مارس 2024 السيد سعيد العلوي."
    got = titles_of(text, [("DATE", "3 مارس 2024"), ("PER", "سعيد العلوي")], "ar")
    assert got == {"سعيد العلوي": None}


def test_arabic_counterpart_quotes_and_ranks():
    text = 'التقى الوزير مع نظيره التونسي سعيد العلوي. وحضر المدير العام للمركز المهندس "كريم الفاسي" الاجتماع.'
    got = titles_of(text, [("PER", "سعيد العلوي"), ("PER", "كريم الفاسي")], "ar")
    assert got == {"سعيد العلوي": "نظيره التونسي", "كريم الفاسي": "المدير العام للمركز"}


def test_arabic_definite_head_does_not_reach_over_a_bare_noun():
    # ``الوزير رسالة الرئيس X``: the title of X is الرئيس, not a phrase starting at الوزير
    text = "وقرأ الوزير رسالة الرئيس سعيد العلوي على الحاضرين."
    assert titles_of(text, [("PER", "سعيد العلوي")], "ar") == {"سعيد العلوي": "الرئيس"}


def test_arabic_head_with_attached_preposition():
    text = "اجتمع الوفد بالمدير العام للمستشفى كريم الفاسي، ثم التقى المستشار الأول لوزير الصحة سعيد العلوي."
    got = titles_of(text, [("PER", "كريم الفاسي"), ("PER", "سعيد العلوي")], "ar")
    assert got == {"كريم الفاسي": "المدير العام للمستشفى", "سعيد العلوي": "المستشار الأول لوزير الصحة"}


def test_one_persons_two_functions_joined_by_and():
    text = "Awa Diallo, ministre de la Santé et présidente du Conseil, a ouvert la séance."
    got = titles_of(text, [("PER", "Awa Diallo"), ("ORG", "Conseil")])
    assert got == {"Awa Diallo": "ministre de la Santé et présidente du Conseil"}
    text2 = "Étaient présents Omar Fassi, ministre du Plan et de Son Excellence M. Paul Mensah, ambassadeur."
    got2 = titles_of(text2, [("PER", "Omar Fassi"), ("PER", "Paul Mensah")])
    assert got2 == {"Omar Fassi": "ministre du Plan", "Paul Mensah": "ambassadeur"}


def test_no_title_ends_on_a_preposition():
    text = "La lettre de la directrice du centre a été remise à Son Excellence Paul Mensah."
    assert titles_of(text, [("PER", "Paul Mensah")]) == {"Paul Mensah": None}


def test_arabic_coordinated_complements_and_attached_hyphen():
    text = "وأكدت وزيرة الصحة ورعاية الأسرة الدكتورة هند الشامي أن الطبيب الرئيسي بالمركز الطبي- الاجتماعي كريم الفاسي حاضر."
    got = titles_of(text, [("PER", "هند الشامي"), ("PER", "كريم الفاسي")], "ar")
    assert got == {"هند الشامي": "وزيرة الصحة ورعاية الأسرة", "كريم الفاسي": "الطبيب الرئيسي بالمركز الطبي- الاجتماعي"}


def test_arabic_rank_before_a_name_gives_way_to_the_full_title():
    text = "بحضور السفير سعيد العلوي، سفير المغرب بالقاهرة، ونائب وزير التجارة السفير كريم الفاسي."
    got = titles_of(text, [("PER", "سعيد العلوي"), ("LOC", "المغرب"), ("LOC", "القاهرة"), ("PER", "كريم الفاسي")], "ar")
    assert got == {"سعيد العلوي": "سفير المغرب بالقاهرة", "كريم الفاسي": "نائب وزير التجارة"}


def test_a_plural_title_before_a_list_of_names_belongs_to_each_name():
    text = "Sous l'impulsion des présidents Paul Mensah et Awa Diallo, les deux pays coopèrent."
    got = titles_of(text, [("PER", "Paul Mensah"), ("PER", "Awa Diallo")])
    assert got == {"Paul Mensah": "présidents", "Awa Diallo": "présidents"}
    text2 = "Le président Paul Mensah et Awa Diallo sont arrivés."  # a singular title is one person's
    got2 = titles_of(text2, [("PER", "Paul Mensah"), ("PER", "Awa Diallo")])
    assert got2 == {"Paul Mensah": "président", "Awa Diallo": None}
    text3 = "وحضر اللقاء ممثلو الوزارة سعيد العلوي وكريم الفاسي."
    got3 = titles_of(text3, [("PER", "سعيد العلوي"), ("PER", "كريم الفاسي")], "ar")
    assert got3 == {"سعيد العلوي": "ممثلو الوزارة", "كريم الفاسي": "ممثلو الوزارة"}


def test_interim_dashes_participles_and_a_counterpart_giving_way():
    text = "En présence du secrétaire général adjoint par intérim, M. Paul Mensah, et de la coordinatrice–pays du PAM, Awa Diallo."
    got = titles_of(text, [("PER", "Paul Mensah"), ("ORG", "PAM"), ("PER", "Awa Diallo")])
    assert got == {"Paul Mensah": "secrétaire général adjoint par intérim", "Awa Diallo": "coordinatrice–pays du PAM"}
    text2 = "Aux côtés de la Dre Leila Tazi, cheffe de cabinet, représentant le directeur général, la séance a commencé."
    assert titles_of(text2, [("PER", "Leila Tazi")]) == {"Leila Tazi": "cheffe de cabinet"}
    text3 = "Il a reçu son homologue malien, Dr Omar Fassi, ministre de la Santé et de l'Hygiène du milieu."
    got3 = titles_of(text3, [("PER", "Omar Fassi")])
    assert got3 == {"Omar Fassi": "ministre de la Santé et de l'Hygiène du milieu"}


def test_arabic_slash_dash_quotes_courtesy_adjective_and_bi_construct():
    text = ("وقالت مديرة إدارة التعاون بوزارة الصحة الدكتورة هند الشامي إن التعاون مستمر. "
            "وألقى السيد/ سعيد العلوي – وزير الصحة بدولة مالي الشقيقة – كلمة. "
            "واستقبل الوزير، أمس، السيد «كريم الفاسي» المشرف على قسم التدريب.")
    got = titles_of(text, [("PER", "هند الشامي"), ("PER", "سعيد العلوي"), ("LOC", "مالي"), ("DATE", "أمس"),
                           ("PER", "كريم الفاسي")], "ar")
    assert got == {"هند الشامي": "مديرة إدارة التعاون بوزارة الصحة",
                   "سعيد العلوي": "وزير الصحة بدولة مالي", "كريم الفاسي": "المشرف على قسم التدريب"}


def test_a_comma_then_a_plural_head_opens_another_phrase():
    text = "Étaient présents Awa Diallo, conseillère technique du ministre, des représentants du Fonds et d'autres."
    got = titles_of(text, [("PER", "Awa Diallo"), ("ORG", "Fonds")])
    assert got == {"Awa Diallo": "conseillère technique du ministre"}


def test_a_head_the_parser_took_for_a_finite_verb_still_opens_a_title():
    text = "La représentante résidente du Fonds, Awa Diallo, a signé."
    ms = mark(text, [("ORG", "Fonds"), ("PER", "Awa Diallo")])
    verb = text.index("résidente")  # a parser may tag it VerbForm=Fin
    found = find_titles(text, ms, "fr", finite_verbs=[verb, text.index("a signé")])
    assert found[1] is not None and found[1].text == "représentante résidente du Fonds"
    # a real finite verb between a head and the name still ends the walk
    text2 = "Le ministre salue Awa Diallo."
    ms2 = mark(text2, [("PER", "Awa Diallo")])
    assert find_titles(text2, ms2, "fr", finite_verbs=[text2.index("salue")]) == [None]
