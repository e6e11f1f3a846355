"""Segmentation into sentences and script runs (no model)."""

import random

from healthcoop_nlp.langid.segment import script_of, script_runs, scripted_segments, segments


def spans(text: str) -> list[str]:
    return [text[s:e] for s, e in segments(text)]


def test_long_arabic_quote_inside_french_sentence_is_its_own_segment():
    text = "Le ministre a déclaré : « الصحة حق للجميع في كل مكان » avant de partir pour Rabat."
    segs = segments(text)
    assert segs == [(0, 23), (24, 54), (55, 82)]
    assert [text[s:e] for s, e in segs] == [
        "Le ministre a déclaré :", "« الصحة حق للجميع في كل مكان »", "avant de partir pour Rabat."]


def test_short_foreign_run_stays_in_its_sentence():
    # An acronym or a one-word name in another script does not split the sentence.
    text = "أكد ممثل OMS أن الوضع الصحي مستقر في المنطقة."
    assert segments(text) == [(0, len(text))]
    text = "Le ministre محمد a rencontré les partenaires de la coopération."
    assert segments(text) == [(0, len(text))]


def test_sentences_and_lines_are_segments_with_raw_offsets():
    text = "  La réunion s'est tenue à Rabat.\nعقد وزير الصحة اجتماعا مع الشركاء.  "
    assert spans(text) == ["La réunion s'est tenue à Rabat.", "عقد وزير الصحة اجتماعا مع الشركاء."]
    assert segments(text)[0] == (2, 33)


def test_opening_bracket_goes_with_the_next_run_closing_with_the_previous():
    text = "Selon le communiqué (بلاغ وزارة الصحة والحماية الاجتماعية) la campagne commence lundi."
    assert spans(text) == ["Selon le communiqué", "(بلاغ وزارة الصحة والحماية الاجتماعية)",
                           "la campagne commence lundi."]


def test_no_letters():
    assert segments("") == []
    assert segments("   \n\t ") == []
    assert spans("2024 - 12 / 05 !!") == ["2024 - 12 / 05 !!"]
    assert script_of("2024 ١٢ ، ؟ %") == (None, 0)


def test_script_of_counts_letters_not_arabic_punctuation_or_digits():
    assert script_of("وزارة الصحة، ٢٠٢٤") == ("Arab", 10)
    assert script_of("Santé 2024") == ("Latn", 5)
    assert script_of("שלום") == ("Hebr", 4)


def test_script_runs_follow_the_writing_system():
    text = "OMS: الصحة للجميع"
    runs = script_runs(text)
    assert [(r.script, text[r.start:r.end], r.words) for r in runs] == [("Latn", "OMS", 1), ("Arab", "الصحة للجميع", 2)]


def test_single_script_fast_path_gives_the_general_segments():
    from healthcoop_nlp.langid.segment import _scripted_segments_general, _single_script

    rng = random.Random(0)
    arabic = list("ابتشڭمنيةأ") + ["\u0651", "\u064E", "\u0640", "،", "؟", "٢"]
    latin = list("abcéèÀzOMS") + ["\u0301", "ª"]
    common = list(" .!?\n,;-'\"«»()0123456789") + ["  ", ". ", "\n\n"]
    seen = set()
    for _ in range(3000):
        letters = rng.choice([arabic, latin, arabic + latin, latin + ["²", "א"], arabic + ["ß"]])
        pool = letters * 3 + common
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 60)))
        seen.add(_single_script(text))
        assert scripted_segments(text) == _scripted_segments_general(text), repr(text)
    assert seen == {"Arab", "Latn", None}


def test_long_sentences_are_cut_into_bounded_windows_that_cover_the_text():
    from healthcoop_nlp.langid.segment import MAX_SEGMENT_CHARS, windows

    words = " ".join(f"mot{i}" for i in range(2000))  # one sentence of ~13,000 characters
    segs = segments(words)
    assert len(segs) > 1 and all(e - s <= MAX_SEGMENT_CHARS for s, e in segs)
    assert " ".join(words[s:e] for s, e in segs) == words  # cut at spaces: nothing lost, nothing added
    assert all(words[e] == " " for _, e in segs[:-1])
    # without a space: hard cuts at the bound, contiguous
    blob = "a\u0301bc" * 1000
    cut = windows(blob, [(0, len(blob))], max_chars=100)
    assert cut[0][0] == 0 and cut[-1][1] == len(blob)
    assert all(a[1] == b[0] for a, b in zip(cut, cut[1:]))
    assert all(e - s <= 100 for s, e in cut)
    assert all(blob[s] != "\u0301" for s, _ in cut), "a combining mark stays with its letter"


def test_interleaved_scripts_make_one_segment_per_window():
    from healthcoop_nlp.langid.segment import MAX_SEGMENT_CHARS

    text = "aب" * 5000
    out = scripted_segments(text)
    assert [(s, e) for s, e, _, _ in out] == [(i, i + MAX_SEGMENT_CHARS) for i in range(0, len(text), MAX_SEGMENT_CHARS)]
    assert all(n == MAX_SEGMENT_CHARS for _, _, _, n in out)
