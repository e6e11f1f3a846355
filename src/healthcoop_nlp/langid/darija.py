"""Moroccan Arabic (Darija, ``ary``) versus Modern Standard Arabic, for Arabic-script text.

A logistic regression over TF-IDF character n-grams (scikit-learn's
``char_wb`` n-grams, 1 to 4) of the Arabic letters only: diacritics, tatweel, digits,
punctuation and Latin letters are dropped before featurising, so that the
model cannot lean on how a corpus writes shadda or commas. The model is
stored without pickle: ``config.json`` (analyzer options, threshold),
``vocab.json`` (n-grams in column order) and ``weights.npz`` (idf, coef,
intercept). Trained by ``python -m healthcoop_nlp.train.darija``.
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
        self._analyze = make_analyzer(self.options)  # the checked reference: same n-grams as _word_columns
        self._lo, self._hi = (int(x) for x in self.options["ngram_range"])
        self._cache: dict[str, tuple[int, ...]] = {}
        self._sublinear = bool(self.options.get("sublinear_tf", True))
        self._idf_arr = np.asarray(self.idf, dtype=np.float64)
        self._coef_arr = np.asarray(self.coef, dtype=np.float64)

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

    def _word_columns(self, word: str) -> tuple[int, ...]:
        """Columns of the known n-grams of one word (with repeats); cached, as words recur."""
        cols = self._cache.get(word)
        if cols is None:
            vocab = self.vocab
            cols = tuple([j for j in map(vocab.get, char_wb_ngrams(word, self._lo, self._hi)) if j is not None])
            if len(self._cache) < 200_000:
                self._cache[word] = cols
        return cols

    def clear_cache(self) -> None:
        """Forget the per-word n-gram columns cached so far (for timing from a cold start)."""
        self._cache.clear()

    def decision(self, text: str) -> float | None:
        """The logit of Darija for ``text``; None when it has no Arabic letter."""
        words = arabic_letters_only(text).split()
        if not words:
            return None
        cols: list[int] = []
        for word in words:
            cols.extend(self._word_columns(word))
        if not cols:
            return self.intercept
        idx, counts = np.unique(np.array(cols, dtype=np.int64), return_counts=True)
        tf = 1.0 + np.log(counts) if self._sublinear else counts.astype(np.float64)
        x = tf * self._idf_arr[idx]
        norm = float(np.sqrt(x @ x))
        return (float(x @ self._coef_arr[idx]) / norm if norm > 0 else 0.0) + self.intercept

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
        """``prob`` of each text."""
        return [self.prob(t) for t in texts]


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
