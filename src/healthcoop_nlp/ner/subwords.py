"""Words as sequences of pretrained sub-word pieces (a pruned SentencePiece unigram vocabulary).

The pieces and their unigram scores come from multilingual-e5-small's
XLM-RoBERTa vocabulary (``train.e5_pieces`` extracts them at training time,
with their embedding rows); the tagger ships the pruned table as JSON, so
segmenting a word at tagging time needs only the ``tokenizers`` library.
Id 0 is padding and id 1 the unknown piece.
"""

from __future__ import annotations

import functools
import json
import unicodedata
from pathlib import Path
from typing import Sequence

from ..text.normalize import dediacritize

__all__ = ["PieceTable", "piece_text", "MAX_PIECES"]

MAX_PIECES = 8  # pieces kept per word (the first ones)
PAD, UNK = "<pad>", "<unk>"


def piece_text(token: str) -> str:
    """The string a token is segmented as: NFKC, diacritics and tatweel removed (as XLM-R's
    normaliser sees news text); letters otherwise unchanged."""
    return dediacritize(unicodedata.normalize("NFKC", token)) or token


class PieceTable:
    """A pruned unigram piece vocabulary: ``pieces[i]`` with log-probability ``scores[i]``."""

    def __init__(self, pieces: Sequence[str], scores: Sequence[float]):
        if list(pieces[:2]) != [PAD, UNK]:
            raise ValueError("a piece table starts with '<pad>', '<unk>'; rebuild it with train.e5_pieces")
        from tokenizers import Tokenizer, models, pre_tokenizers

        self.pieces = list(pieces)
        self.scores = [float(s) for s in scores]
        self._tok = Tokenizer(models.Unigram(list(zip(self.pieces, self.scores)), unk_id=1, byte_fallback=False))
        self._tok.pre_tokenizer = pre_tokenizers.Metaspace()
        # per token, like the other word caches (e.g. ``ner.gazetteer._norm``): bounded, least recently used out
        self._ids = functools.lru_cache(maxsize=16_384)(self._segment_ids)

    def __len__(self) -> int:
        return len(self.pieces)

    def ids(self, token: str) -> tuple[int, ...]:
        """Piece ids of one token (at most ``MAX_PIECES``; never empty)."""
        return self._ids(token)

    def _segment_ids(self, token: str) -> tuple[int, ...]:
        return tuple(self._tok.encode(piece_text(token)).ids[:MAX_PIECES]) or (1,)

    def segment(self, token: str) -> list[str]:
        """Piece strings of one token (for inspection)."""
        return [self.pieces[i] for i in self.ids(token)]

    def save(self, path: Path) -> None:
        Path(path).write_text(json.dumps({"pieces": self.pieces, "scores": self.scores}, ensure_ascii=False),
                              encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> "PieceTable":
        d = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(d["pieces"], d["scores"])
