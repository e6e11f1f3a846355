from records import make_record

from healthcoop_nlp.events.context import build_context
from healthcoop_nlp.events.factuality import NON_FACTUAL, SCHEDULED, ASSERTED, assess, load_cues
from healthcoop_nlp.events.triggers import find_triggers, load_lexicon


def statuses(text, lang="fr", entities=None):
    rec = make_record(text, lang, entities or {})
    ctx = build_context(rec)
    lex = load_lexicon(lang)
    return [(t.text, assess(ctx, t, load_cues(lang), lex)) for t in find_triggers(ctx, lex)]


def test_a_call_is_not_an_event():
    assert statuses("Le ministre a appelé à signer une convention de partenariat.") == [
        ("convention de partenariat", NON_FACTUAL)]


def test_a_past_event_is_asserted():
    assert statuses("Les deux ministres ont signé mardi une convention de partenariat.") == [
        ("signé", ASSERTED), ("convention de partenariat", ASSERTED)]


def test_scheduled_event_needs_a_date():
    ents = {"d": ("DATE", ["15 juin 2025"])}
    assert statuses("La réunion prévue le 15 juin 2025 réunira les experts.", entities=ents)[0] == ("réunion", SCHEDULED)
    assert statuses("Une prochaine réunion sera organisée.")[0] == ("réunion", NON_FACTUAL)


def test_negation():
    assert statuses("Le pays n'a pas signé l'accord-cadre.")[0][1] == NON_FACTUAL


def test_cue_does_not_cross_a_clause():
    assert statuses("Pour renforcer la coopération, les deux pays ont signé un mémorandum.")[0][1] == ASSERTED


def test_arabic_aim_is_not_an_event():
    out = statuses("وهي مبادرة تهدف إلى إطلاق برامج جديدة", lang="ar")
    assert out == [("إطلاق", NON_FACTUAL)]


def test_arabic_verb_of_aim_with_trigger_subject_is_no_cue():
    # يهدف الاجتماع إلى ...: the meeting is the subject of the aim verb; it took place
    assert statuses("ويهدف الاجتماع إلى تعزيز التعاون", lang="ar") == [("الاجتماع", ASSERTED)]


def test_arabic_future_prefix_is_scheduled():
    ents = {"d": ("DATE", ["الأسبوع المقبل"])}
    assert statuses("سيوقع البلدان اتفاقية الأسبوع المقبل", lang="ar", entities=ents)[0][1] == SCHEDULED


def test_call_with_the_subject_between_verb_and_preposition():
    assert statuses("ودعا الطرفان إلى توقيع اتفاقية جديدة", lang="ar")[0] == ("توقيع", NON_FACTUAL)
    assert statuses("Il a appelé les deux pays à signer un mémorandum.")[0][1] == NON_FACTUAL
    assert statuses("Il a invité les deux pays à la cérémonie de signature.")[0][1] == ASSERTED
