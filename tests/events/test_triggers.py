from records import make_record

from healthcoop_nlp.events.context import build_context
from healthcoop_nlp.events.triggers import find_triggers, load_lexicon


def triggers(text, lang="fr", entities=None):
    rec = make_record(text, lang, entities or {})
    return find_triggers(build_context(rec), load_lexicon(lang))


def test_meeting_noun_is_a_trigger_but_not_the_gathering_of_conditions():
    found = triggers("La réunion des experts a eu lieu hier. La réunion des conditions du succès reste un défi.")
    assert [(t.type, t.start) for t in found] == [("Contact.Meet", 3)]


def test_reflexive_verb_required_for_entretenu():
    assert [t.text for t in triggers("Le ministre s'est longuement entretenu avec son homologue.")] == ["entretenu"]
    assert triggers("Le pays a entretenu des liens étroits avec ses voisins.") == []


def test_recu_needs_a_person_after_it():
    ents = {"p1": ("PER", ["Nadia Berrada"])}
    assert [t.type for t in triggers("Le directeur a reçu Nadia Berrada au siège.", entities=ents)] == ["Contact.Meet"]
    assert triggers("L'hôpital a reçu un lot de vaccins.") == []


def test_bare_participle_is_not_a_launch():
    assert triggers("Les réformes lancées depuis dix ans portent leurs fruits.") == []
    assert [t.text for t in triggers("Le ministère a officiellement lancé la campagne.")] == ["lancé"]


def test_multiword_trigger_keeps_its_words():
    found = triggers("Les deux pays ont adopté une déclaration conjointe sur la santé.")
    assert [(t.type, t.text) for t in found] == [("Agreement.Sign", "déclaration conjointe")]


def test_no_trigger_inside_an_entity_name():
    ents = {"o1": ("ORG", ["Conférence internationale du travail"])}
    assert triggers("La Conférence internationale du travail publie un rapport.", entities=ents) == []


def test_determiner_marks_anaphora():
    found = triggers("Ils se sont rencontrés lundi. Cette rencontre a duré une heure.")
    assert [t.determiner for t in found] == [None, "demonstrative"]


def test_arabic_clitics_are_stripped():
    found = triggers("وخلال اللقاء تم الإعلان عن إطلاق برنامج جديد. وأطلقها الوزير للإطلاق", lang="ar")
    assert [(t.type, t.text) for t in found] == [
        ("Contact.Meet", "اللقاء"), ("Initiative.Launch", "إطلاق"), ("Initiative.Launch", "وأطلقها"),
        ("Initiative.Launch", "للإطلاق")]


def test_arabic_demonstrative_and_future():
    found = triggers("وسيوقع الطرفان على اتفاقية غدا. وناقش هذا الاجتماع التعاون", lang="ar")
    sign = [t for t in found if t.type == "Agreement.Sign"]
    assert sign[0].text == "وسيوقع" and sign[0].status == "scheduled"
    meet = [t for t in found if t.type == "Contact.Meet"]
    assert meet[0].determiner == "demonstrative"


def test_arabic_verb_form_never_after_article():
    # "التوقع" (the expectation) is the article + a noun, not the verb توقع (she signs)
    assert [t for t in triggers("أكد التوقع على اتفاق", lang="ar") if t.text == "التوقع"] == []


def test_arabic_readings_have_the_same_order_in_every_process():
    """The first matching reading decides a trigger's article (hence its score), so the
    order of a word's clitic readings must not depend on the process's hash seed."""
    import os
    import subprocess
    import sys

    code = ("from healthcoop_nlp.events.triggers import _ar_stems; "
            "print(_ar_stems('وبالمنحة', ('و', 'ف'), ('ب', 'ل', 'ك'), ('ال',), ('ها', 'ه'), ('س',)))")
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3", "4")}
    assert len(outs) == 1
    readings = eval(outs.pop())  # noqa: S307 - our own printed tuple
    assert readings[0] == ("وبالمنحة", False, False)
    assert ("منحة", True, False) in readings


def test_general_forms_outside_training_are_low_score_candidates():
    found = triggers("Le ministre a séjourné trois jours à Dakar.", entities={"d": ("LOC", ["Dakar"])})
    assert [(t.type, t.text) for t in found] == [("Movement.Visit", "séjourné")]
    assert found[0].score < 0.5  # the rules keep few of them; the learned step decides
    assert [t.type for t in triggers("سلمت الوزارة شحنة أدوية", lang="ar")][:1] == ["Aid.Donate"]
