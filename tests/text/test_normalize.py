from healthcoop_nlp.text import normalize, sentences, tokenize


def test_normalize_arabic_folding():
    assert normalize("أحمد") == normalize("احمد") == normalize("إحمد")
    assert normalize("مصطفى") == normalize("مصطفي")
    assert normalize("الصحة") == normalize("الصحه")
    assert normalize("مُنَظَّمَة") == normalize("منظمة")
    assert normalize("منظـــمة") == normalize("منظمة")  # tatweel
    assert normalize("  OMS\u00a0 Genève ") == "oms genève"
    assert normalize("ﬁn") == "fin"  # NFKC


def test_tokenize_keeps_raw_offsets():
    text = "L’OMS, à Genève (Suisse) le 4 mars 2024 à 9:36 ; بمراكش مُنَظَّمَة الصحـــة WHO."
    toks = tokenize(text)
    for t in toks:
        assert text[t.start:t.end] == t.text
    words = [t.text for t in toks]
    assert "9:36" in words and "Genève" in words and "مُنَظَّمَة" in words and "الصحـــة" in words
    assert "Moyen-Orient" in [t.text for t in tokenize("le Moyen-Orient")]


def test_sentences():
    text = "Première phrase. Deuxième ?\nTroisième\n\nجملة عربية؟ أخرى."
    spans = sentences(text)
    assert [text[s:e] for s, e in spans] == ["Première phrase.", "Deuxième ?", "Troisième", "جملة عربية؟", "أخرى."]
