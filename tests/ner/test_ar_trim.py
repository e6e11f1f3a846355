"""Arabic NER helpers that need no model: tokens and offsets, proclitic trimming, gazetteer lookup."""

from healthcoop_nlp.ner.spans import resolve_overlaps, spans_from_tags
from healthcoop_nlp.ner.ar_features import match_form, sentence_features, strip_proclitics
from healthcoop_nlp.ner.ar_lexicon import Lexicon, proclitic_length
from healthcoop_nlp.record import Mention
from healthcoop_nlp.text.tokenize import tokenize


def _span_text(token: str, known=None) -> str:
    return token[proclitic_length(token, known):]


def test_proclitic_before_article_is_cut():
    assert _span_text("والمغرب") == "المغرب"
    assert _span_text("بالرباط") == "الرباط"
    assert _span_text("فالمنظمة") == "المنظمة"


def test_lam_lam_contraction_cuts_only_the_first_lam():
    assert _span_text("للجنة") == "لجنة"
    assert _span_text("للأمم") == "لأمم"


def test_proclitic_before_known_name_is_cut():
    known = {"مراكش", "منظمه"}
    assert _span_text("بمراكش", known) == "مراكش"
    assert _span_text("لمنظمة", known) == "منظمة"
    assert _span_text("بمراكش") == "بمراكش"  # unknown name: no evidence of a proclitic


def test_names_starting_with_a_proclitic_letter_are_kept():
    known = {"جده", "وجده"}
    assert _span_text("وجدة", known) == "وجدة"
    assert _span_text("واشنطن", known) == "واشنطن"
    assert _span_text("بلجيكا", known) == "بلجيكا"


def test_trim_counts_raw_characters_with_diacritics_and_tatweel():
    tok = "وَالمَغْرِب"
    cut = proclitic_length(tok)
    assert tok[:cut] == "وَ"
    assert tok[cut:] == "المَغْرِب"
    tok = "بـالرباط"
    assert tok[proclitic_length(tok):] == "الرباط"


def test_match_form_folds_diacritics_tatweel_and_alef():
    assert match_form("أَلمانـيا") == "المانيا"
    assert match_form("إسرائيل") == "اسرائيل"
    assert strip_proclitics(match_form("وبالمغرب")) == ("وبال", "مغرب")


def test_tokens_keep_offsets_with_arabic_punctuation_and_latin_acronyms():
    text = "قالت منظمة الصحة العالمية (WHO)، أمس، إن مُـراكش؟ نعم."
    toks = tokenize(text)
    assert all(text[t.start:t.end] == t.text for t in toks)
    words = [t.text for t in toks]
    assert "WHO" in words and "،" in words and "؟" in words
    assert "مُـراكش" in words  # diacritics and tatweel stay inside the word


def test_gazetteer_matches_through_proclitics():
    lx = Lexicon.load()
    toks = "وأكد ل منظمة الصحة العالمية ولمنظمة الصحة العالمية بمراكش".split()
    found = [(s, e, pre, entry.key) for s, e, pre, entry in lx.matches(toks)]
    assert (2, 5, 0, "who") in found
    assert (5, 8, 2, "who") in found
    assert (8, 9, 1, "marrakech") in found
    assert lx.token_tags(toks)[2:5] == ["B-ORG", "I-ORG", "I-ORG"]


def test_gazetteer_file_is_well_formed():
    lx = Lexicon.load()
    keys = {e.key for e in lx.entries.values()}
    assert {"who", "morocco", "rabat", "map", "unicef"} <= keys
    assert all(k.isascii() and k == k.lower() for k in keys)


def test_spans_from_tags_reads_stray_inside_tags():
    assert spans_from_tags(["B-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-ORG"]) == [
        ("PER", 0, 2), ("LOC", 3, 4), ("LOC", 4, 5), ("ORG", 5, 6)]


def test_resolve_overlaps_is_flat_and_prefers_priority_then_length():
    a = Mention(0, 10, "x" * 10)
    b = Mention(5, 20, "x" * 15)
    c = Mention(21, 25, "x" * 4)
    out = resolve_overlaps([("ORG", a, 2), ("LOC", b, 1), ("PER", c, 1)])
    assert [(lab, m.start) for lab, m in out] == [("ORG", 0), ("PER", 21)]


def test_features_are_the_same_for_raw_and_normalised_spellings():
    raw = sentence_features(["أعلن", "إسرائيل"])
    norm = sentence_features(["اعلن", "اسرائيل"])
    assert raw == norm


def test_a_span_of_known_names_joined_by_wa_is_split():
    from healthcoop_nlp.ner.ar import _only_known_names

    text = "رسالة لمنظمة الصحة العالمية والمغرب اليوم"
    who = Mention(7, 27, text[7:27])
    morocco = Mention(29, 35, text[29:35])
    assert who.text == "منظمة الصحة العالمية" and morocco.text == "المغرب"
    assert _only_known_names(text, Mention(6, 35, text[6:35]), [who, morocco])
    assert not _only_known_names(text, Mention(6, 41, text[6:41]), [who, morocco])  # اليوم is not a name
    assert not _only_known_names(text, Mention(6, 27, text[6:27]), [who])  # one name: nothing to split


def test_lam_lam_never_cuts_the_articles_lam_even_before_a_known_stem():
    known = {"مملكه", "اتحاد"}  # stems a name list might hold
    assert "للمملكة"[proclitic_length("للمملكة", known):] == "لمملكة"
    assert "وللاتحاد"[proclitic_length("وللاتحاد", known):] == "لاتحاد"


def test_rests_cut_a_proclitic_before_a_name_seen_elsewhere_without_making_the_token_known():
    assert proclitic_length("بنواكشوطي") == 0  # an unknown word: no evidence that ب is a proclitic
    assert proclitic_length("بنواكشوطي", rests={"نواكشوطي", "بنواكشوطي"}) == 1


def test_token_sentences_split_a_hyphen_between_arabic_letters_only():
    from healthcoop_nlp.ner.ar_features import token_sentences

    text = "طنطا-وكالة أنباء. Saint-Louis في 2024-03"
    toks = [t.text for s in token_sentences(text) for t in s]
    assert toks[:3] == ["طنطا", "-", "وكالة"]
    assert "Saint-Louis" in toks and "2024-03" in toks
    assert all(text[t.start:t.end] == t.text for s in token_sentences(text) for t in s)


def test_name_heads_let_the_tagger_cut_a_proclitic_before_an_institution():
    from healthcoop_nlp.ner.ar_features import match_form
    from healthcoop_nlp.paths import data_path
    import yaml

    rules = yaml.safe_load(data_path("ar", "ner.yaml").read_text(encoding="utf-8"))
    heads = {match_form(w) for words in rules["name_heads"].values() for w in words}
    assert "بحكومة"[proclitic_length("بحكومة", heads):] == "حكومة"
    assert "وسفارة"[proclitic_length("وسفارة", heads):] == "سفارة"
