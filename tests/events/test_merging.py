from records import make_record

from healthcoop_nlp.events.component import EventsComponent


def events(text, entities, lang="fr", **kw):
    rec = make_record(text, lang, entities)
    return EventsComponent(parse=False, method="rules", **kw)(rec).events


def test_anaphoric_mentions_join_one_event():
    text = ("La ministre Nadia Berrada s'est entretenue mardi à Tunis avec Karim Saidi. "
            "Cette rencontre a porté sur la vaccination. Lors de cet entretien, les deux parties ont fait le point.")
    ents = {"nb": ("PER", ["Nadia Berrada"]), "ks": ("PER", ["Karim Saidi"]), "tn": ("LOC", ["Tunis"]),
            "d": ("DATE", ["mardi"])}
    evs = events(text, ents)
    assert [e.type for e in evs] == ["Contact.Meet"]
    assert [t.text for t in evs[0].triggers] == ["entretenue", "rencontre", "entretien"]
    assert {(a.role, a.entity) for a in evs[0].arguments} == {
        ("Participant", "nb"), ("Participant", "ks"), ("Place", "tn"), ("Time", "d")}


def test_two_meetings_stay_apart():
    text = ("Le ministre Omar Lahlou s'est entretenu lundi à Dakar avec Awa Ndiaye. "
            "Il a ensuite rencontré jeudi à Abidjan Jean Kouassi.")
    ents = {"ol": ("PER", ["Omar Lahlou"]), "an": ("PER", ["Awa Ndiaye"]), "jk": ("PER", ["Jean Kouassi"]),
            "dk": ("LOC", ["Dakar"]), "ab": ("LOC", ["Abidjan"]), "d1": ("DATE", ["lundi"]), "d2": ("DATE", ["jeudi"])}
    evs = events(text, ents)
    assert [e.type for e in evs] == ["Contact.Meet", "Contact.Meet"]
    assert [e.id for e in evs] == ["v1", "v2"]
    places = [{a.entity for a in e.arguments if a.role == "Place"} for e in evs]
    assert places == [{"dk"}, {"ab"}]


def test_anaphor_without_antecedent_starts_an_event():
    text = "Karim Saidi a salué cette visite au Sénégal."
    ents = {"ks": ("PER", ["Karim Saidi"]), "sn": ("LOC", ["Sénégal"])}
    evs = events(text, ents)
    assert [(e.type, {(a.role, a.entity) for a in e.arguments}) for e in evs] == [
        ("Movement.Visit", {("Visitor", "ks"), ("Destination", "sn")})]


def test_scheduled_and_past_launch_are_two_events():
    text = ("وأطلق الوزير خالد العلمي برنامجا للتلقيح. "
            "ويتم التحضير لإطلاق التقرير المقرر في عام 2026.")
    ents = {"k": ("PER", ["خالد العلمي"]), "d": ("DATE", ["عام 2026"])}
    evs = events(text, ents, lang="ar")
    assert [e.type for e in evs] == ["Initiative.Launch", "Initiative.Launch"]


def test_title_line_joins_the_event_told_in_the_body():
    text = ("توقيع مذكرة تفاهم بين وزارة الصحة والهلال الأحمر\n"
            "وقعت الوزيرة سلمى النجار ورئيس الهلال الأحمر فؤاد حداد أمس على مذكرة تفاهم.")
    ents = {"moh": ("ORG", ["وزارة الصحة"]), "rc": ("ORG", ["الهلال الأحمر"]), "sn": ("PER", ["سلمى النجار"]),
            "fh": ("PER", ["فؤاد حداد"]), "d": ("DATE", ["أمس"])}
    evs = events(text, ents, lang="ar")
    assert [e.type for e in evs] == ["Agreement.Sign"]
    assert len(evs[0].triggers) >= 3


def test_a_session_is_not_the_talks_held_beside_it():
    text = ("Le ministre Omar Lahlou a rencontré mardi Awa Ndiaye. "
            "Il a ensuite pris part à la session du Comité régional à Genève.")
    ents = {"ol": ("PER", ["Omar Lahlou"]), "an": ("PER", ["Awa Ndiaye"]), "cr": ("ORG", ["Comité régional"]),
            "ge": ("LOC", ["Genève"]), "d": ("DATE", ["mardi"])}
    evs = events(text, ents)
    assert [(e.type, [t.text for t in e.triggers]) for e in evs] == [
        ("Contact.Meet", ["rencontré"]), ("Contact.Meet", ["session"])]
