"""The optional Hugging Face backend, on a tiny randomly initialised BERT the test builds (no download)."""

import pytest

transformers = pytest.importorskip("transformers")
torch = pytest.importorskip("torch")

from healthcoop_nlp.record import Record  # noqa: E402

pytestmark = pytest.mark.slow

LABELS = ["O", "B-LOC", "I-LOC", "B-PERS", "I-PERS", "B-ORG", "I-ORG", "B-MISC", "I-MISC"]


def _build(tmp_path, favour: str):
    """A 1-layer BERT whose classifier always prefers ``favour`` (weights zero, bias one-hot)."""
    words = ["قال", "ال", "##رباط", "ب", "##ال", "مدير", "WHO", "(", ")", "،", "."]
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + words + list("ابتثجحخدذرزسشصضطظعغفقكلمنهويةءأإآى")
    (tmp_path / "vocab.txt").write_text("\n".join(dict.fromkeys(vocab)) + "\n", encoding="utf-8")
    tok = transformers.BertTokenizerFast(vocab_file=str(tmp_path / "vocab.txt"), do_lower_case=False,
                                         strip_accents=False, tokenize_chinese_chars=False)
    cfg = transformers.BertConfig(vocab_size=len(tok), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                                  intermediate_size=32, max_position_embeddings=128,
                                  id2label=dict(enumerate(LABELS)), label2id={l: i for i, l in enumerate(LABELS)})
    torch.manual_seed(0)
    model = transformers.BertForTokenClassification(cfg)
    with torch.no_grad():
        model.classifier.weight.zero_()
        model.classifier.bias.zero_()
        model.classifier.bias[LABELS.index(favour)] = 5.0
    model.save_pretrained(tmp_path)
    tok.save_pretrained(tmp_path)
    return tmp_path


def test_offsets_map_back_to_raw_text_and_proclitics_are_trimmed(tmp_path):
    from healthcoop_nlp.ner.ar import load_tagger

    path = _build(tmp_path, "B-LOC")
    tagger = load_tagger(backend="hf", path=str(path), dates=False)
    text = "قال مدير WHO، بالرباط."
    out = tagger.tag(Record(id="d", text=text))
    assert out, "a B-LOC-only model tags every word"
    for label, m in out:
        assert label == "LOC"
        assert text[m.start:m.end] == m.text
    texts = [m.text for _, m in out]
    assert "WHO" in texts
    assert "الرباط" in texts  # ب + ال: the proclitic is outside the span
    ends = [(m.start, m.end) for _, m in out]
    assert all(a[1] <= b[0] for a, b in zip(ends, ends[1:])), "mentions are flat"


def test_inside_labels_join_words_into_one_mention(tmp_path):
    from healthcoop_nlp.ner.backends.hf import HfTagger

    path = _build(tmp_path, "I-PERS")
    text = "قال مدير"
    out = HfTagger(path, dates=False).tag(Record(id="d", text=text))
    # the first I- starts a mention, the next I- continues it: one PER span over both words
    assert [(lab, m.text) for lab, m in out] == [("PER", "قال مدير")]


def test_missing_folder_says_how_to_fix(tmp_path):
    from healthcoop_nlp.ner.backends.hf import HfTagger

    with pytest.raises(FileNotFoundError, match="local Hugging Face"):
        HfTagger(tmp_path)
