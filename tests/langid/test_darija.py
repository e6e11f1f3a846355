"""The Darija-vs-MSA classifier: n-grams, pickle-free model files, and the shipped model (slow)."""

import json
import random

import numpy as np
import pytest

from healthcoop_nlp.langid import identify
from healthcoop_nlp.langid.darija import DarijaModel, arabic_letters_only, char_wb_ngrams


def test_char_wb_ngrams_match_scikit_learn():
    from sklearn.feature_extraction.text import CountVectorizer

    analyzer = CountVectorizer(analyzer="char_wb", ngram_range=(1, 4), lowercase=False).build_analyzer()
    for text in ["شنو كاتدير  دابا", "و", "من", "abcdefgh ij", ""]:
        assert char_wb_ngrams(text, 1, 4) == analyzer(text)
    rng = random.Random(0)
    for _ in range(500):  # words of every length around the n-gram sizes
        text = " ".join("".join(rng.choice("ابت") for _ in range(rng.randint(1, 6))) for _ in range(rng.randint(0, 3)))
        assert char_wb_ngrams(text, 1, 4) == analyzer(text), text


def test_only_arabic_letters_are_featurised():
    # Diacritics, tatweel, punctuation, digits and Latin letters go; alef variants fold.
    assert arabic_letters_only("مخبّيين, أنا OMS ٢٠٢٤ متـيقّن!") == "مخبيين انا متيقن"


def tiny_model() -> DarijaModel:
    vocab = {" ش": 0, "شنو": 1, " ال": 2}
    return DarijaModel(vocab=vocab, idf=np.array([1.0, 2.0, 1.5]), coef=np.array([0.5, 2.0, -3.0]),
                       intercept=-0.25, options={"analyzer": "char_wb", "ngram_range": [1, 4], "sublinear_tf": True})


def test_decision_is_tfidf_l2_dot_coef(tmp_path):
    m = tiny_model()
    # "شنو": n-grams " ش" and "شنو" are known, once each -> x = (1, 2), |x| = sqrt(5)
    assert m.decision("شنو") == pytest.approx((1 * 0.5 + 2 * 2.0) / 5 ** 0.5 - 0.25)
    assert m.decision("Hello 123") is None
    assert m.prob("!!!") is None


def reference_decision(m: DarijaModel, text: str) -> float | None:
    """The logit computed the plain way: count the n-grams, TF-IDF, l2 norm, dot the coefficients."""
    grams = char_wb_ngrams(arabic_letters_only(text), 1, 4)
    if not grams:
        return None
    counts: dict[int, int] = {}
    for g in grams:
        if g in m.vocab:
            counts[m.vocab[g]] = counts.get(m.vocab[g], 0) + 1
    x = {j: (1 + np.log(c)) * m.idf[j] for j, c in counts.items()}
    norm = sum(v * v for v in x.values()) ** 0.5
    return (sum(v * m.coef[j] for j, v in x.items()) / norm if norm else 0.0) + m.intercept


def random_model(seed: int) -> DarijaModel:
    """Every n-gram (1-4) over a small alphabet with a space, random weights."""
    rng = np.random.default_rng(seed)
    letters = "ابتشڭ "
    terms = sorted({"".join(rng.choice(list(letters), size=n)) for n in (1, 2, 3, 4) for _ in range(300)})
    terms = [t for t in terms if "  " not in t and " " not in t[1:-1]]
    return DarijaModel(vocab={t: i for i, t in enumerate(terms)}, idf=rng.uniform(1, 3, len(terms)),
                       coef=rng.normal(size=len(terms)), intercept=0.1,
                       options={"analyzer": "char_wb", "ngram_range": [1, 4], "sublinear_tf": True})


def test_batch_scorer_equals_the_plain_computation():
    m = random_model(0)
    rng = random.Random(1)
    texts = ["", "!!", "ا", "ب ب ب", "شنو OMS ڭ", "ـ", "پ ت"]  # پ: an Arabic letter the vocabulary never saw
    texts += [" ".join("".join(rng.choice("ابتشڭپ") for _ in range(rng.randint(1, 7)))
                       for _ in range(rng.randint(0, 6))) for _ in range(300)]
    batch = m.decisions(texts)
    for t, z in zip(texts, batch):
        ref = reference_decision(m, t)
        assert (z is None) == (ref is None), t
        if ref is not None:
            assert z == pytest.approx(ref, abs=1e-9), t
            assert m.decision(t) == pytest.approx(ref, abs=1e-9), t
            assert m._decision_plain(arabic_letters_only(t)) == pytest.approx(ref, abs=1e-9), t
    assert [p for p, _ in m.probs_and_words(["ب ت!", "", "OMS"])] == m.probs(["ب ت!", "", "OMS"])
    assert [w for _, w in m.probs_and_words(["ب ت!", "", "شنو كاين دابا"])] == [2, 0, 3]


def test_model_round_trips_without_pickle(tmp_path):
    m = tiny_model()
    m.save(tmp_path, extra={"seed": 1})
    assert json.loads((tmp_path / "config.json").read_text())["seed"] == 1
    with np.load(tmp_path / "weights.npz", allow_pickle=False) as w:
        assert set(w.files) == {"idf", "coef", "intercept"}
    back = DarijaModel.load(tmp_path)
    assert back.vocab == m.vocab
    assert back.prob("شنو الاخبار") == pytest.approx(m.prob("شنو الاخبار"), abs=1e-6)


def test_missing_model_files_say_how_to_rebuild(tmp_path):
    with pytest.raises(FileNotFoundError, match="healthcoop_nlp.train.darija"):
        DarijaModel.load(tmp_path)


@pytest.mark.slow
def test_trained_scorer_matches_scikit_learn(tmp_path):
    from healthcoop_nlp.train.darija import train

    texts = ["شنو كاتدير دابا", "واش مشيتي للسبيطار", "بغيت نمشي للدار", "فين كاين الطبيب",
             "أعلنت وزارة الصحة عن حملة", "عقد الوزير اجتماعا مع الوفد", "أكدت المنظمة أهمية التعاون",
             "انطلقت الحملة الوطنية للتلقيح"] * 2
    model = train(texts, [1, 1, 1, 1, 0, 0, 0, 0] * 2, seed=0)  # raises if the scorers disagree
    model.save(tmp_path)
    assert DarijaModel.load(tmp_path).is_darija("شنو كاتدير")


# Sentences written for this test (not from DODa or the held-out split).
DARIJA = [
    "واش كاين شي طبيب فالسبيطار ديال الحومة دابا؟",
    "بغيت نمشي ندير التلقيح ولكن ماعنديش الوقت هاد السيمانة",
    "الدراري ديالي مراض وماعرفتش فين نديهم",
]
MSA = [
    "أعلنت وزارة الصحة والحماية الاجتماعية عن إطلاق حملة وطنية للتلقيح ضد الحصبة.",
    "وقع الوزير اتفاقية تعاون مع منظمة الصحة العالمية لتعزيز الرعاية الصحية الأولية.",
    "وأكد المسؤول أن المستشفيات الجامعية ستستفيد من تجهيزات طبية جديدة خلال السنة المقبلة.",
]


@pytest.mark.slow
@pytest.mark.parametrize("text", DARIJA)
def test_darija_sentences_are_ar_ary(text):
    r = identify(text)
    assert (r.lang, r.dialect) == ("ar", "ary")


@pytest.mark.slow
@pytest.mark.parametrize("text", MSA)
def test_msa_sentences_are_ar_without_dialect(text):
    r = identify(text)
    assert (r.lang, r.dialect) == ("ar", None)


@pytest.mark.slow
def test_darija_quote_in_an_msa_article_is_a_darija_segment_but_the_document_stays_msa():
    text = MSA[0] + " " + MSA[1] + " " + DARIJA[0] + " " + MSA[2]
    r = identify(text, segments=True)
    assert [s.dialect for s in r.segments] == [None, None, "ary", None]
    assert (r.lang, r.dialect) == ("ar", None)


def test_short_segments_need_a_surer_darija_classifier():
    from healthcoop_nlp.langid.identify import DARIJA_MIN_PROB_SHORT

    # 1 to 4 words: the shorter the segment, the surer the classifier must be; above the model's 0.5
    assert sorted(DARIJA_MIN_PROB_SHORT) == [1, 2, 3, 4]
    levels = [DARIJA_MIN_PROB_SHORT[n] for n in sorted(DARIJA_MIN_PROB_SHORT)]
    assert levels == sorted(levels, reverse=True) and levels[-1] > 0.5


@pytest.mark.slow
def test_a_short_msa_headline_is_not_darija():
    from healthcoop_nlp.langid.darija import load_default

    text = "مراكش: انعقاد الاجتماع."
    assert load_default().prob(text) > 0.5  # the classifier alone leans to Darija on these three words
    r = identify(text, segments=True)
    assert (r.lang, r.dialect) == ("ar", None)
    assert r.segments[0].dialect is None


@pytest.mark.slow
@pytest.mark.parametrize("text", ["شنو كتدير دابا", "واش نتا مزيان", "بغيت نمشي للدار"])
def test_a_short_darija_segment_the_classifier_is_sure_of_stays_darija(text):
    r = identify(text)
    assert (r.lang, r.dialect) == ("ar", "ary")
