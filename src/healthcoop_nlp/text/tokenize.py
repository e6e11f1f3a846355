"""Offset-preserving tokenisation and sentence splitting for French and Arabic.

Tokens are spans of the raw text; nothing is normalised, so ``text[t.start:t.end]``
is always the token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Token", "tokenize", "sentences"]

# A word: letters/digits/marks (Arabic diacritics and tatweel stay inside the word),
# with internal apostrophes or hyphens kept for French (aujourd'hui, Moyen-Orient);
# numbers with separators (9:36, 2024-03-01, 1.5); any other non-space char alone.
_TOKEN = re.compile(
    r"\d+(?:[.,:/\-]\d+)*"
    r"|[^\W\d_](?:[\w\u0610-\u061A\u064B-\u065F\u0670\u0640]|[-‐](?=[^\W\d_]))*"
    r"|[\u0610-\u061A\u064B-\u065F\u0670\u0640]+"
    r"|\S",
    re.UNICODE,
)
# Sentence end: . ! ? … ؟ or a newline, followed by space/newline.
_SENT_END = re.compile(r"(?<=[.!?…؟])\s+|\n+")


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens of ``text[start:end]`` with offsets into ``text``."""
    end = len(text) if end is None else end
    return [Token(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text, start, end)]


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) of the text, whitespace trimmed, none empty."""
    spans = []
    pos = 0
    for m in _SENT_END.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out
