"""CRF token features for Arabic NER, shared by training and tagging.

Lexical features are computed on a matching form of each token (diacritics and
tatweel removed, alef variants, ى and ة folded), so raw news text, ANERcorp and
the alef-normalised NewsFANE look the same to the model. Offsets never depend on
these forms.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable, Sequence

from ..text.normalize import dediacritize, fold_arabic_letters
from ..text.tokenize import Token, sentences, tokenize

__all__ = ["match_form", "strip_proclitics", "word_shape", "sentence_features", "name_lists", "Featurizer", "FEATURE_VERSION",
           "proclitic_variants", "name_key", "lookup_name", "token_sentences"]

FEATURE_VERSION = 3

_AR_LETTER = re.compile(r"[\u0621-\u064A]")
_LATIN = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"\d")
_PUNCT = re.compile(r"^[^\w\s]+$")


# a hyphen between two Arabic letters joins two words in datelines (``المدينة-الوكالة``), never
# one Arabic word: the shared tokeniser keeps such hyphens inside a token (for French), the Arabic
# tagger splits there
_AR_HYPHEN = re.compile(r"(?<=[\u0621-\u064A\u064B-\u065F\u0670\u0640])[-‐](?=[\u0621-\u064A])")


def _split_hyphens(tok: Token) -> list[Token]:
    cuts = [m.start() for m in _AR_HYPHEN.finditer(tok.text)]
    if not cuts:
        return [tok]
    out = []
    pos = 0
    for c in cuts:
        out.append(Token(tok.start + pos, tok.start + c, tok.text[pos:c]))
        out.append(Token(tok.start + c, tok.start + c + 1, tok.text[c]))
        pos = c + 1
    out.append(Token(tok.start + pos, tok.end, tok.text[pos:]))
    return out


def token_sentences(text: str) -> list[list[Token]]:
    """The Arabic tagger's sentences and tokens (raw offsets): ``text.sentences`` and
    ``text.tokenize``, with tokens split at a hyphen between Arabic letters. Training data with
    character offsets (hcnews) is projected onto these same tokens."""
    out = []
    for s0, e0 in sentences(text):
        toks = [p for t in tokenize(text, s0, e0) for p in _split_hyphens(t)]
        if toks:
            out.append(toks)
    return out


def match_form(token: str) -> str:
    """The token as the model sees it: dediacritised, Arabic letters folded, lower case."""
    return fold_arabic_letters(dediacritize(token)).lower()


def strip_proclitics(form: str) -> tuple[str, str]:
    """(proclitics, stem) of a matching form: conjunction و/ف, preposition ب/ل/ك, and the
    article ال (``لل`` is ل + ال). Never strips below three letters of stem."""
    pre = ""
    w = form
    if len(w) > 3 and w[0] in "وف":
        pre, w = pre + w[0], w[1:]
    if len(w) > 3 and w[0] in "بلك":
        if w.startswith("لل") and len(w) > 4:
            return pre + "لل", w[2:]
        pre, w = pre + w[0], w[1:]
    if len(w) > 4 and w.startswith("ال"):
        pre, w = pre + "ال", w[2:]
    return pre, w


_PROCLITIC_LETTERS = "وفبلك"


def proclitic_variants(form: str) -> list[tuple[int, str]]:
    """(number of proclitic letters, remaining form) readings of a token's matching form,
    the unstripped reading first; up to two one-letter proclitics (و ف ب ل ك).
    ``لل`` + X also reads as ``ال`` + X after one letter."""
    out = [(0, form)]
    rest, n = form, 0
    while len(rest) > 2 and rest[0] in _PROCLITIC_LETTERS and n < 2:
        if rest.startswith("لل") and len(rest) > 3:
            out.append((n + 1, "ا" + rest[1:]))  # ل + الX
        n += 1
        rest = rest[1:]
        out.append((n, rest))
    return out


def name_key(form: str) -> str:
    """The form a name list stores: proclitics before the article removed (وبالمغرب -> المغرب),
    anything else kept whole (فرنسوا stays فرنسوا)."""
    for _, rest in proclitic_variants(form)[1:]:
        if rest.startswith("ال") and len(rest) > 3:
            return rest
    return form


def lookup_name(names: dict[str, str], form: str) -> str | None:
    """The label a name list gives to a token's matching form, under its first reading
    (whole form, then with proclitics removed) that the list holds."""
    for _, rest in proclitic_variants(form):
        lab = names.get(rest)
        if lab:
            return lab
    return None


def word_shape(tok: str) -> str:
    if _DIGIT.search(tok):
        return "num" if not _AR_LETTER.search(tok) and not _LATIN.search(tok) else "mixnum"
    if _LATIN.search(tok):
        if tok.isupper():
            return "LAT_UP"
        return "Lat_cap" if tok[:1].isupper() else "lat"
    if _AR_LETTER.search(tok):
        return "ar"
    if _PUNCT.match(tok):
        return "punct"
    return "other"


def _token_feats(tok: str, gaz: str | None, names: dict[str, str] | None) -> dict[str, str]:
    f = match_form(tok)
    pre, stem = strip_proclitics(f)
    d = {
        "w": f,
        "stem": stem,
        "pre": pre,
        "shape": word_shape(tok),
        "p2": f[:2],
        "p3": f[:3],
        "s1": f[-1:],
        "s2": f[-2:],
        "s3": f[-3:],
        "st_s2": stem[-2:],
        "len": str(min(len(stem), 8)),
    }
    if gaz:
        d["gaz"] = gaz
    if names:
        lab = lookup_name(names, f)
        if lab:
            d["nl"] = lab
    return d


def sentence_features(tokens: Sequence[str], gazetteer_tags: Sequence[str | None] | None = None,
                      names: dict[str, str] | None = None) -> list[list[str]]:
    """One list of string features per token (crfsuite's item format).

    ``gazetteer_tags`` gives, per token, a gazetteer tag such as ``B-LOC`` / ``I-ORG``
    (or None) from the longest gazetteer match covering it; ``names`` maps a
    matching form (or proclitic-stripped stem) to the label it usually names.
    """
    n = len(tokens)
    gaz = list(gazetteer_tags) if gazetteer_tags is not None else [None] * n
    base = [_token_feats(t, g, names) for t, g in zip(tokens, gaz)]
    out: list[list[str]] = []
    for i in range(n):
        b = base[i]
        feats = ["bias"] + [f"{k}={v}" for k, v in b.items()]
        for off in (-2, -1, 1, 2):
            j = i + off
            if 0 <= j < n:
                o = base[j]
                feats.append(f"{off}:w={o['w']}")
                feats.append(f"{off}:shape={o['shape']}")
                if abs(off) == 1:
                    feats.append(f"{off}:stem={o['stem']}")
                    feats.append(f"{off}:pre={o['pre']}")
                    feats.append(f"{off}:s2={o['s2']}")
                    if "gaz" in o:
                        feats.append(f"{off}:gaz={o['gaz']}")
                    if "nl" in o:
                        feats.append(f"{off}:nl={o['nl']}")
            else:
                feats.append(f"{off}:BOS" if j < 0 else f"{off}:EOS")
        if i > 0:
            feats.append(f"-1|0:w={base[i-1]['w']}|{b['w']}")
        if i + 1 < n:
            feats.append(f"0|+1:w={b['w']}|{base[i+1]['w']}")
        out.append(feats)
    return out


def name_lists(sentences: Iterable[tuple[Sequence[str], Sequence[str]]], min_count: int = 2,
               min_share: float = 0.7) -> dict[str, str]:
    """Form -> label for the words that name an entity of one label in ``sentences``
    ((tokens, IOB2 tags) pairs) at least ``min_count`` times and ``min_share`` of all
    their occurrences (so common words that sometimes start a name are left out)."""
    counts: dict[str, Counter] = {}
    for tokens, tags in sentences:
        for tok, tag in zip(tokens, tags):
            key = name_key(match_form(tok))
            if len(key) < 2 or not _AR_LETTER.search(key):
                continue
            counts.setdefault(key, Counter())[tag[2:] if tag != "O" else "O"] += 1
    out = {}
    for form, c in counts.items():
        label, n = max(((k, v) for k, v in c.items() if k != "O"), key=lambda kv: kv[1], default=("O", 0))
        if n >= min_count and n / sum(c.values()) >= min_share:
            out[form] = label
    return out


class Featurizer:
    """Token features with the gazetteer (a ``Lexicon``) and name lists bound in."""

    def __init__(self, lexicon=None, names: dict[str, str] | None = None):
        self.lexicon = lexicon
        self.names = names or None

    def __call__(self, tokens: Sequence[str]) -> list[list[str]]:
        gaz = self.lexicon.token_tags(tokens) if self.lexicon is not None else None
        return sentence_features(tokens, gaz, self.names)
