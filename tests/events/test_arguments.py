import pytest
from records import make_record, args_of

from healthcoop_nlp.events.component import EventsComponent


def run(text, ents, lang, parse=False, titles=None):
    rec = make_record(text, lang, ents, titles)
    return EventsComponent(parse=parse, method="rules")(rec).events


def test_arabic_vso_subject_with_companion_place_and_date():
    text = "واستقبل وزير الصحة، أمين التازي، أمس الثلاثاء بالرباط، سفيرة اليابان هيروكو ساتو."
    ents = {"at": ("PER", ["أمين التازي"]), "hs": ("PER", ["هيروكو ساتو"]), "rb": ("LOC", ["الرباط"]),
            "jp": ("LOC", ["اليابان"]), "d": ("DATE", ["أمس الثلاثاء"])}
    evs = run(text, ents, "ar", titles={"hs": "سفيرة اليابان"})
    assert len(evs) == 1 and evs[0].type == "Contact.Meet"
    assert args_of(evs[0]) == {("Participant", "at"), ("Participant", "hs"), ("Place", "rb"), ("Time", "d")}


def test_arabic_launch_agent_after_verb_and_initiative():
    text = "أطلقت منظمة الصحة العالمية الشبكة العربية للصحة الرقمية في القاهرة."
    ents = {"who": ("ORG", ["منظمة الصحة العالمية"]), "net": ("ORG", ["الشبكة العربية للصحة الرقمية"]),
            "cai": ("LOC", ["القاهرة"])}
    evs = run(text, ents, "ar")
    assert args_of(evs[0]) >= {("Agent", "who"), ("Place", "cai")}


def test_arabic_appointee_after_noun():
    text = "تم انتخاب تونس لعضوية المجلس التنفيذي للمنظمة."
    ents = {"tn": ("LOC", ["تونس"]), "eb": ("ORG", ["المجلس التنفيذي"])}
    evs = run(text, ents, "ar")
    assert [e.type for e in evs] == ["Personnel.Appoint"]
    assert args_of(evs[0]) == {("Appointee", "tn"), ("Organization", "eb")}


def test_french_patterns_donation():
    text = "L'Unicef a fait don lundi de 20 000 doses de vaccins au ministère de la Santé du Niger."
    ents = {"u": ("ORG", ["Unicef"]), "m": ("ORG", ["ministère de la Santé du Niger"]), "d": ("DATE", ["lundi"])}
    evs = run(text, ents, "fr")
    assert [e.type for e in evs] == ["Aid.Donate"]
    assert args_of(evs[0]) == {("Donor", "u"), ("Recipient", "m"), ("Time", "d")}


@pytest.mark.slow
def test_french_parse_leaves_out_a_place_inside_a_title():
    text = ("Le ministre Paul Martin a reçu lundi à Lyon Sofia Benali, représentante de l'Unicef au Maroc, "
            "pour examiner la coopération.")
    ents = {"pm": ("PER", ["Paul Martin"]), "sb": ("PER", ["Sofia Benali"]), "ly": ("LOC", ["Lyon"]),
            "ma": ("LOC", ["Maroc"]), "u": ("ORG", ["Unicef"]), "d": ("DATE", ["lundi"])}
    evs = run(text, ents, "fr", parse=True)
    assert len(evs) == 1
    got = args_of(evs[0])
    assert {("Participant", "pm"), ("Participant", "sb"), ("Place", "ly"), ("Time", "d")} <= got
    assert ("Place", "ma") not in got and ("Participant", "u") not in got


@pytest.mark.slow
def test_french_parse_keeps_participants_of_the_meeting_not_of_a_nested_clause():
    text = ("Cette réunion a été l'occasion de rappeler les efforts menés depuis des années dans le pays sous "
            "la conduite du président Ali Nour, a déclaré la ministre.")
    first = "La ministre Lina Haddad s'est entretenue vendredi avec Marc Petit. "
    ents = {"lh": ("PER", ["Lina Haddad"]), "mp": ("PER", ["Marc Petit"]), "an": ("PER", ["Ali Nour"]),
            "d": ("DATE", ["vendredi"])}
    evs = run(first + text, ents, "fr", parse=True)
    assert len(evs) == 1
    assert ("Participant", "an") not in args_of(evs[0])


def test_arabic_support_verb_subject_and_place_on_a_common_noun():
    text = "وقدمت كندا هبة من الأدوية لفائدة الهلال الأحمر بمدينة وجدة."
    ents = {"ca": ("LOC", ["كندا"]), "rc": ("ORG", ["الهلال الأحمر"]), "oj": ("LOC", ["وجدة"])}
    evs = run(text, ents, "ar")
    assert [e.type for e in evs] == ["Aid.Donate"]
    assert args_of(evs[0]) == {("Donor", "ca"), ("Recipient", "rc"), ("Place", "oj")}
