"""Who wins when a gazetteer match overlaps a model span (ner.ar)."""

import pytest

from healthcoop_nlp.ner.ar import _overlaps_longer
from healthcoop_nlp.ner.spans import resolve_overlaps
from healthcoop_nlp.record import Mention


def _m(a, b):
    return Mention(start=a, end=b, text="x" * (b - a))


def test_overlap_tests():
    model = [("ORG", _m(0, 10), 1)]
    assert not _overlaps_longer(_m(0, 10), model)  # equal: the gazetteer may replace it
    assert _overlaps_longer(_m(0, 4), model)  # covered by a longer model span
    assert _overlaps_longer(_m(0, 20), model, any_length=True)
    assert not _overlaps_longer(_m(12, 20), model, any_length=True)


def test_priorities_resolve_as_documented():
    model = ("ORG", _m(0, 10), 1)
    assert resolve_overlaps([model, ("LOC", _m(0, 10), 2)]) == [("LOC", _m(0, 10))]
    assert resolve_overlaps([model, ("LOC", _m(0, 14), 0)]) == [("ORG", _m(0, 10))]


@pytest.mark.slow
def test_lstm_gazetteer_fills_gaps_only_and_crf_may_override():
    from healthcoop_nlp.ner.ar import load_tagger

    assert load_tagger(arch="lstm").gazetteer_overrides is False
    assert load_tagger(arch="crf").gazetteer_overrides is True
    assert load_tagger(arch="lstm", gazetteer_overrides=True).gazetteer_overrides is True


def test_construct_heads_join_the_name_that_follows():
    """حكومة/مستشفى/ولاية + a name is one mention (ANNOTATION 2.1); a definite head is not a construct."""
    from healthcoop_nlp.ner.ar import ArabicTagger

    tagger = ArabicTagger.__new__(ArabicTagger)  # only the rule's data, no model
    from healthcoop_nlp.ner.ar_features import match_form
    from healthcoop_nlp.ner.ar_lexicon import Lexicon
    from healthcoop_nlp.paths import data_path
    import yaml

    rules = yaml.safe_load(data_path("ar", "ner.yaml").read_text(encoding="utf-8"))
    tagger.heads = {match_form(w): lab for lab, ws in rules["name_heads"].items() for w in ws}
    tagger.lexicon = Lexicon.load()
    tagger.state_heads = {"جمهوريه", "مملكه"}
    tagger.demonym_heads = set()
    tagger.split_and = True
    from healthcoop_nlp.ner.ar import demonym_stems

    tagger.demonym_stems = demonym_stems(tagger.lexicon)
    w = "أعلنت حكومة بوتان ومستشفى سعيد البناء في ولاية كسلا دعم مؤسسة سعيد البناء للعلوم والصحة وقالت الحكومة اليابانية".split()
    tags = ["O"] * len(w)
    tags[2] = "B-LOC"
    tags[4], tags[5] = "B-PER", "I-PER"
    tags[11], tags[12] = "B-PER", "I-PER"
    out = tagger.join_heads(w, tags)
    assert out[1:3] == ["B-ORG", "I-ORG"]  # حكومة بوتان
    assert out[3:6] == ["B-ORG", "I-ORG", "I-ORG"]  # و(مستشفى سعيد البناء)
    assert out[7:9] == ["B-LOC", "I-LOC"]  # ولاية كسلا, كسلا from the gazetteer
    assert out[10:15] == ["B-ORG", "I-ORG", "I-ORG", "I-ORG", "I-ORG"]  # + للعلوم والصحة
    assert out[15:] == ["O", "O", "O"]  # الحكومة اليابانية: no name after a definite head
    # the gazetteer's longer name wins over a shorter model span after the head
    w2 = "وصل وفد حكومة جنوب السودان والجمهورية الكوبية".split()
    out2 = tagger.join_heads(w2, ["O", "O", "O", "O", "B-LOC", "O", "O"])
    assert out2 == ["O", "O", "B-ORG", "I-ORG", "I-ORG", "B-LOC", "I-LOC"]


def test_demonym_heads_and_relative_adjectives():
    """الحكومة/السفارة + a nationality adjective is an ORG (ANNOTATION 2.1); a ministry's adjective
    stays outside; a construct name takes its closing relative adjective (مستشفى X الجامعي)."""
    from healthcoop_nlp.ner.ar import ArabicTagger, demonym_stems
    from healthcoop_nlp.ner.ar_features import match_form
    from healthcoop_nlp.ner.ar_lexicon import Lexicon
    from healthcoop_nlp.paths import data_path
    import yaml

    rules = yaml.safe_load(data_path("ar", "ner.yaml").read_text(encoding="utf-8"))
    tagger = ArabicTagger.__new__(ArabicTagger)
    tagger.heads = {match_form(w): lab for lab, ws in rules["name_heads"].items() for w in ws}
    tagger.lexicon = Lexicon.load()
    tagger.state_heads = set()
    tagger.split_and = True
    tagger.demonym_heads = {match_form(w)[2:] for w in rules["demonym_heads"]}
    tagger.demonym_stems = demonym_stems(tagger.lexicon)
    w = "رحبت الحكومة الألمانية والسفارة الكندية ووزارة الصحة السعودية بافتتاح مستشفى نور الهدى الجامعي والحكومة المحلية".split()
    tags = ["O"] * len(w)
    tags[10], tags[11] = "B-PER", "I-PER"
    out = tagger.join_heads(w, tags)
    assert out[1:5] == ["B-ORG", "I-ORG", "B-ORG", "I-ORG"]
    assert out[5:8] == ["O", "O", "O"]  # the ministry is the model's (or the gazetteer's) to find
    assert out[9:13] == ["B-ORG", "I-ORG", "I-ORG", "I-ORG"]
    assert out[13:] == ["O", "O"]  # المحلية is not a nationality
    # a head before a construct name takes it whole; و + a definite institution noun splits a span
    w3 = "أعلنت حكومة جمهورية بوتان ووزارة الصحة والسفارة الكندية".split()
    out3 = tagger.join_heads(w3, ["O", "O", "O", "B-LOC", "B-ORG", "I-ORG", "I-ORG", "I-ORG"])
    assert out3 == ["O", "B-ORG", "I-ORG", "I-ORG", "B-ORG", "I-ORG", "B-ORG", "I-ORG"]
