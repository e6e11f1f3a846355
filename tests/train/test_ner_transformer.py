"""The transformer tagger's data path (word labels on first pieces) and its training loop, on toy data."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

from healthcoop_nlp.train.corpora import Sentence  # noqa: E402
from healthcoop_nlp.train.ner_transformer import (  # noqa: E402
    TAGS, E5Tagger, TrainConfig, WordPieces, build_dataset, encode_words, evaluate_sentences, tag_words, train)


class CharTokenizer:
    """Pieces = one id per word chunk of two characters (ids from 4 up), like a tiny unigram model."""

    bos, eos, unk = 0, 2, 3

    def __init__(self):
        self.vocab: dict[str, int] = {}

    def pieces(self, word: str) -> list[int]:
        chunks = ["\u2581" + word[:2]] + [word[i:i + 2] for i in range(2, len(word), 2)]
        return [self.vocab.setdefault(c, 4 + len(self.vocab)) for c in chunks]


def test_labels_sit_on_first_pieces():
    wp = WordPieces(CharTokenizer())
    ids, firsts, labels = encode_words(wp, ["Le", "ministre", "Dupont"], ["O", "O", "B-PER"])
    assert ids[0] == 0 and ids[-1] == 2
    assert len(ids) == 1 + 1 + 4 + 3 + 1  # <s>, Le, mi|ni|st|re, Du|po|nt, </s>
    assert firsts == [1, 2, 6]
    assert [labels[i] for i in firsts] == [TAGS.index("O"), TAGS.index("O"), TAGS.index("B-PER")]
    assert sum(x != -100 for x in labels) == 3


def test_long_sentences_are_cut_at_a_word_edge():
    wp = WordPieces(CharTokenizer())
    ids, firsts, _ = encode_words(wp, ["abcdef"] * 10, max_len=12)
    assert len(ids) <= 12 and len(firsts) == 3  # 3 words of 3 pieces + <s> + </s>


def test_other_labels_become_o():
    rows = build_dataset(WordPieces(CharTokenizer()), [Sentence(["iPhone", "Rabat"], ["B-MISC", "B-LOC"])])
    labels = [x for x in rows["labels"][0] if x != -100]
    assert labels == [TAGS.index("O"), TAGS.index("B-LOC")]


def test_training_learns_a_toy_pattern():
    from transformers import BertConfig, BertModel

    torch.manual_seed(0)
    tok = CharTokenizer()
    wp = WordPieces(tok)
    cities, people = ["Rabat", "Tunis", "Dakar", "Niamey"], ["Amina", "Karim", "Sofia", "Youssef"]
    sents = [Sentence(["visite", "à", c, "avec", p], ["O", "O", "B-LOC", "O", "B-PER"])
             for c in cities for p in people]
    data = build_dataset(wp, sents * 6)
    enc = BertModel(BertConfig(vocab_size=200, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                               intermediate_size=64, max_position_embeddings=64, pad_token_id=1),
                    add_pooling_layer=False)
    model = E5Tagger(enc)
    cfg = TrainConfig(minutes=1.0, epochs=15, batch_words=60, lr=3e-3, head_lr=3e-3)
    stats = train(cfg, model, data, log=lambda _: None)
    assert stats["steps"] > 0
    assert not model.encoder.embeddings.word_embeddings.weight.requires_grad
    assert tag_words(model, wp, [["visite", "à", "Dakar", "avec", "Karim"]]) == [["O", "O", "B-LOC", "O", "B-PER"]]
    scores = evaluate_sentences(model, wp, sents[:4])
    assert scores["micro"]["f1"] == 1.0
