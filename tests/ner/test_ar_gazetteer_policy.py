"""Who wins when a gazetteer match overlaps a model span (ner.ar)."""

import pytest

from healthcoop_nlp.ner.ar import _overlaps_longer, resolve_overlaps
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
