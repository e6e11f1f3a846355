"""Moroccan Arabic (Darija, ``ary``) versus Modern Standard Arabic, for Arabic-script text.

A logistic regression over TF-IDF character n-grams (scikit-learn's
``char_wb`` n-grams, 1 to 4) of the Arabic letters only: diacritics, tatweel, digits,
punctuation and Latin letters are dropped before featurising, so that the
model cannot lean on how a corpus writes shadda or commas. The model is
stored without pickle: ``config.json`` (analyzer options, threshold),
``vocab.json`` (n-grams in column order) and ``weights.npz`` (idf, coef,
intercept). Trained by ``python -m healthcoop_nlp.train.darija``.

Scoring needs neither scikit-learn nor Python loops over n-grams: at load the
vocabulary becomes integer lookup tables (``_NgramIndex``), and ``decisions``
/ ``probs`` score a whole batch of texts with a few array operations.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from ..text.normalize import dediacritize, fold_arabic_letters

__all__ = ["DarijaModel", "arabic_letters_only", "char_wb_ngrams", "make_analyzer", "MODEL_NAME", "load_default"]

MODEL_NAME = "darija"
# Up to this many characters (Arabic letters and spaces) one text is scored in plain Python: about
# 2.3 us per character against 24 us + 0.1 us per character for the array path (one core, measured
# on Arabic words, word pairs and sentences; the two give the same logit).
SHORT_TEXT = 10
_NON_ARABIC_LETTER = re.compile(r"[^\u0621-\u063A\u0641-\u064A\u067E\u0686\u06A4\u06AD\u06AF\u06A9\u06CC]+")


def arabic_letters_only(text: str) -> str:
    """The Arabic letters of ``text`` (diacritics removed, alef/ya/ta marbuta folded), words joined by one space."""
    return _NON_ARABIC_LETTER.sub(" ", fold_arabic_letters(dediacritize(text))).strip()


def char_wb_ngrams(text: str, min_n: int, max_n: int) -> list[str]:
    """Character n-grams inside word boundaries, padded with one space: scikit-learn's ``char_wb``.

    Written out here so that prediction does not import scikit-learn (about
    1 s); ``tests/langid/test_darija.py`` checks that both give the same list.
    """
    out: list[str] = []
    for w in text.split():
        w = " " + w + " "
        w_len = len(w)
        for n in range(min_n, max_n + 1):
            if w_len <= n:  # the whole padded word, once, and no longer n-grams
                out.append(w)
                break
            out.extend([w[i:i + n] for i in range(w_len - n + 1)])
    return out


def make_analyzer(options: dict[str, Any]) -> Callable[[str], list[str]]:
    """The n-gram analyzer for ``options`` (``analyzer`` must be ``char_wb``), on Arabic letters only."""
    if options.get("analyzer") != "char_wb":
        raise ValueError(f"unsupported analyzer {options.get('analyzer')!r}; this model format needs 'char_wb'")
    lo, hi = (int(x) for x in options["ngram_range"])
    return lambda text: char_wb_ngrams(arabic_letters_only(text), lo, hi)


@dataclass
class DarijaModel:
    """A trained Darija-vs-MSA classifier: ``prob(text)`` is P(Darija)."""

    vocab: dict[str, int]
    idf: np.ndarray
    coef: np.ndarray
    intercept: float
    options: dict[str, Any]
    threshold: float = 0.5

    def __post_init__(self) -> None:
        self._analyze = make_analyzer(self.options)  # the reference analyzer; _NgramIndex gives the same n-grams
        self._lo, self._hi = (int(x) for x in self.options["ngram_range"])
        self._sublinear = bool(self.options.get("sublinear_tf", True))
        self._idf_arr = np.asarray(self.idf, dtype=np.float64)
        self._coef_arr = np.asarray(self.coef, dtype=np.float64)
        self._index = _NgramIndex(self.vocab, self._lo, self._hi)
        self._idf_list = self._idf_arr.tolist()
        self._coef_list = self._coef_arr.tolist()

    @classmethod
    def load(cls, folder: str | Path) -> "DarijaModel":
        """Read a model folder written by ``save`` (no pickle)."""
        folder = Path(folder)
        missing = [n for n in ("config.json", "vocab.json", "weights.npz") if not (folder / n).exists()]
        if missing:
            raise FileNotFoundError(
                f"Darija model in {folder} lacks {', '.join(missing)}; rebuild it with "
                f"`python -m healthcoop_nlp.train.darija`")
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        terms = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
        with np.load(folder / "weights.npz", allow_pickle=False) as w:
            idf, coef, intercept = w["idf"], w["coef"], float(w["intercept"][0])
        return cls(vocab={t: i for i, t in enumerate(terms)}, idf=idf, coef=coef, intercept=intercept,
                   options=config["options"], threshold=float(config.get("threshold", 0.5)))

    def save(self, folder: str | Path, extra: dict[str, Any] | None = None) -> None:
        """Write ``config.json``, ``vocab.json`` and ``weights.npz`` into ``folder``."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        terms = [""] * len(self.vocab)
        for t, i in self.vocab.items():
            terms[i] = t
        config = {"options": self.options, "threshold": self.threshold, **(extra or {})}
        (folder / "config.json").write_text(json.dumps(config, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        (folder / "vocab.json").write_text(json.dumps(terms, ensure_ascii=False), encoding="utf-8")
        np.savez_compressed(folder / "weights.npz", idf=self.idf.astype(np.float32),
                            coef=self.coef.astype(np.float32), intercept=np.array([self.intercept], dtype=np.float32))

    def decision(self, text: str) -> float | None:
        """The logit of Darija for ``text``; None when it has no Arabic letter."""
        return self.decisions([text])[0]

    def decisions(self, texts: Sequence[str]) -> list[float | None]:
        """``decision`` of each text, scored together (one pass of array operations for the whole batch)."""
        return self._decisions([arabic_letters_only(t) for t in texts])

    def _decisions(self, cleaned: Sequence[str]) -> list[float | None]:
        keep = [i for i, c in enumerate(cleaned) if c]
        out: list[float | None] = [None] * len(cleaned)
        if not keep:
            return out
        if len(keep) == 1:  # one text: the same computation with fewer array operations
            out[keep[0]] = self._decision_one(cleaned[keep[0]])
            return out
        doc, col = self._index.columns([cleaned[i] for i in keep])
        z = np.full(len(keep), self.intercept, dtype=np.float64)
        if len(col):
            n_cols = len(self._idf_arr)
            # (document, column) pairs as one number; uint32 sorts faster when it fits
            key = doc * n_cols + col
            key = np.sort(key.astype(np.uint32) if len(keep) * n_cols < 2 ** 32 else key).astype(np.int64)
            starts, counts = _runs(key)
            key = key[starts]
            d, c = np.divmod(key, n_cols)
            tf = 1.0 + np.log(counts) if self._sublinear else counts.astype(np.float64)
            x = tf * self._idf_arr[c]
            norm = np.sqrt(np.bincount(d, weights=x * x, minlength=len(keep)))
            dot = np.bincount(d, weights=x * self._coef_arr[c], minlength=len(keep))
            z += np.divide(dot, norm, out=np.zeros_like(dot), where=norm > 0)
        for i, v in zip(keep, z.tolist()):
            out[i] = v
        return out

    def _decision_one(self, cleaned: str) -> float:
        if len(cleaned) <= SHORT_TEXT:
            return self._decision_plain(cleaned)
        key, spaces = self._index.columns_one(cleaned)
        key.sort()
        norm2 = dot = 0.0
        if spaces:  # the space unigram, counted apart
            j = self._index.space_col
            x_sp = (1.0 + math.log(spaces) if self._sublinear else spaces) * self._idf_arr[j]
            norm2, dot = x_sp * x_sp, x_sp * self._coef_arr[j]
        if not len(key):
            return (dot / math.sqrt(norm2) if norm2 > 0 else 0.0) + self.intercept
        starts, counts = _runs(key)
        c = key[starts]
        x = (1.0 + np.log(counts) if self._sublinear else counts) * self._idf_arr[c]
        norm = math.sqrt(norm2 + float(x @ x))
        return ((dot + float(x @ self._coef_arr[c])) / norm if norm > 0 else 0.0) + self.intercept

    def _decision_plain(self, cleaned: str) -> float:
        """The same logit in plain Python: faster than array calls for a word or two."""
        counts: dict[int, int] = {}
        vocab = self.vocab
        for g in char_wb_ngrams(cleaned, self._lo, self._hi):
            j = vocab.get(g)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        idf, coef = self._idf_list, self._coef_list
        norm2 = dot = 0.0
        for j, c in counts.items():
            x = ((1.0 + math.log(c)) if self._sublinear else c) * idf[j]
            norm2 += x * x
            dot += x * coef[j]
        return (dot / math.sqrt(norm2) if norm2 > 0 else 0.0) + self.intercept

    def prob(self, text: str) -> float | None:
        """P(Darija | text) in [0, 1]; None when the text has no Arabic letter."""
        z = self.decision(text)
        if z is None:
            return None
        return 1.0 / (1.0 + math.exp(-z)) if z > -500 else 0.0

    def is_darija(self, text: str) -> bool:
        """True when P(Darija) reaches the model's threshold."""
        p = self.prob(text)
        return p is not None and p >= self.threshold

    def probs(self, texts: Sequence[str]) -> list[float | None]:
        """``prob`` of each text, scored together."""
        return [_sigmoid(z) for z in self.decisions(texts)]

    def probs_and_words(self, texts: Sequence[str]) -> list[tuple[float | None, int]]:
        """(P(Darija) or None, number of Arabic words) of each text, scored together."""
        cleaned = [arabic_letters_only(t) for t in texts]
        return [(_sigmoid(z), c.count(" ") + 1 if c else 0) for z, c in zip(self._decisions(cleaned), cleaned)]


def _runs(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start index and length of each run of equal values in a sorted, non-empty array."""
    first = np.empty(len(key), dtype=bool)
    first[0] = True
    np.not_equal(key[1:], key[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    return starts, np.diff(starts, append=len(key))


def _sigmoid(z: float | None) -> float | None:
    if z is None:
        return None
    return 1.0 / (1.0 + math.exp(-z)) if z > -500 else 0.0


class _NgramIndex:
    """The vocabulary's ``char_wb`` n-grams as table lookups, to find the known n-grams of many texts with numpy.

    A text of Arabic letters and single spaces is padded with a space; its
    ``char_wb`` n-grams are then exactly its n-grams with no space inside
    (a space may only open or close one), except the space unigram, which
    ``char_wb`` counts twice per word. Each character gets a code below
    ``K`` (about 40), an n-gram the number ``sum(code * K**k)``, and one
    table per n maps that number to the vocabulary column (or "none");
    the 4-gram table is ``K**4`` uint16, about 5 MB.
    """

    def __init__(self, vocab: dict[str, int], lo: int, hi: int):
        self.lo, self.hi = lo, hi
        chars = sorted({ch for t in vocab for ch in t} - {" "})
        codes = {" ": 0, **{ch: i + 1 for i, ch in enumerate(chars)}}
        self.unknown = len(codes)  # a letter the vocabulary never saw: in no n-gram
        self.base = self.unknown + 1
        if sum(self.base ** n for n in range(lo, hi + 1)) > 2 ** 28:
            raise ValueError(f"n-grams up to {hi} over {self.base} characters are too many for this index")
        self.char_table = np.full(max(ord(c) for c in codes) + 2, self.unknown, dtype=np.int64)
        for ch, k in codes.items():
            self.char_table[ord(ch)] = k
        # One table for all n: n-grams of length n start at offsets[n - 1].
        sizes = [self.base ** n if lo <= n else 0 for n in range(1, hi + 1)]
        self.offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
        # uint16 (5 MB for 4-grams) when the columns fit, so that the table stays in the CPU cache longer.
        self.none = 0xFFFF if len(vocab) < 0xFFFF else -1
        self.table = np.full(int(sum(sizes)), self.none, dtype=np.uint16 if self.none > 0 else np.int32)
        for term, col in vocab.items():
            if lo <= len(term) <= hi and term != " " and " " not in term[1:-1]:
                v = 0
                for ch in term:
                    v = v * self.base + codes[ch]
                self.table[self.offsets[len(term) - 1] + v] = col
        self.space_col = vocab.get(" ") if lo <= 1 <= hi else None
        # powers_f[k, n - 1]: weight of character k in an n-gram's number
        self.powers_f = np.zeros((hi, hi), dtype=np.float64)
        for n in range(1, hi + 1):
            for k in range(n):
                self.powers_f[k, n - 1] = float(self.base ** (n - 1 - k))
        self.offsets_f = self.offsets.astype(np.float64)

    def columns_one(self, cleaned: str) -> tuple[np.ndarray, int]:
        """The columns of the known n-grams of one text but the space (with repeats), and its space-unigram count.

        The same n-grams as ``columns``, with as few array operations as can be: a text is a short array.
        """
        hi = self.hi
        cp = np.frombuffer((" " + cleaned + " " + "\x00" * (hi - 1)).encode("utf-32-le"), dtype=np.uint32)
        s = self.char_table[np.minimum(cp, len(self.char_table) - 1)].astype(np.float64)
        s[len(s) - hi + 1:] = self.unknown
        m = len(s) - hi + 1
        win = np.lib.stride_tricks.as_strided(s, shape=(m, hi), strides=(s.strides[0], s.strides[0]), writeable=False)
        # Exact in float64 (numbers below 2**28), and a BLAS product is one fast call.
        col = self.table[(win @ self.powers_f + self.offsets_f).astype(np.int64)]
        if self.lo > 1:
            col[:, : self.lo - 1] = self.none
        spaces = 2 * (cleaned.count(" ") + 1) if self.space_col is not None else 0
        return col[col != self.none].astype(np.int64), spaces

    def columns(self, cleaned: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(document, column) of every known n-gram occurrence in the texts (Arabic letters and single spaces)."""
        hi = self.hi
        # Padded with unknown characters so that every position has a full window (they match nothing).
        joined = " " + " ".join(cleaned) + " " + "\x00" * (hi - 1)
        cp = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
        s = self.char_table[np.minimum(cp, len(self.char_table) - 1)]
        s[len(s) - hi + 1:] = self.unknown
        m = len(s) - hi + 1
        # codes[:, n-1]: the number of the n-gram starting at each position (its table offset added)
        codes = np.empty((m, hi), dtype=np.int64)
        acc = s[:m]
        for n in range(1, hi + 1):
            if n > 1:
                acc = acc * self.base + s[n - 1:n - 1 + m]
            np.add(acc, self.offsets[n - 1], out=codes[:, n - 1])
        # A char_wb n-gram never holds a space inside, so such n-grams are not in the table; the
        # space unigram is left out of the table and counted per word below.
        col = self.table[codes]  # (position, n) -> column or none
        ok = col != self.none
        if self.lo > 1:  # those columns read the n=lo table with shorter n-grams
            ok[:, : self.lo - 1] = False
        cols = col[ok].astype(np.int64)
        if len(cleaned) == 1:
            docs = np.zeros(len(cols), dtype=np.int64)
        else:
            # Document of each position: a document starts at the space before its first letter.
            lengths = np.fromiter((len(c) + 1 for c in cleaned), dtype=np.int64, count=len(cleaned))
            doc_of = np.repeat(np.arange(len(cleaned), dtype=np.int64), lengths)
            doc_of = np.concatenate([doc_of, np.full(m - len(doc_of), len(cleaned) - 1, dtype=np.int64)])
            docs = doc_of[np.nonzero(ok)[0]]
        if self.space_col is not None:  # char_wb pads each word with a space on both sides
            words = np.fromiter((c.count(" ") + 1 for c in cleaned), dtype=np.int64, count=len(cleaned))
            docs = np.concatenate([docs, np.repeat(np.arange(len(cleaned), dtype=np.int64), 2 * words)])
            cols = np.concatenate([cols, np.full(int(2 * words.sum()), self.space_col, dtype=np.int64)])
        return docs, cols


_DEFAULT: DarijaModel | None = None


def load_default() -> DarijaModel:
    """The shipped model in ``models/darija/`` (loaded once per process)."""
    global _DEFAULT
    if _DEFAULT is None:
        from ..paths import MODELS_DIR

        folder = MODELS_DIR / MODEL_NAME
        if not folder.exists():
            raise FileNotFoundError(
                f"Darija model not found in {folder}; rebuild it with `python -m healthcoop_nlp.train.darija`")
        _DEFAULT = DarijaModel.load(folder)
    return _DEFAULT
