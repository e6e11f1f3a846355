"""Known names (organisations, places) from ``data/<lang>/gazetteer.tsv``, found in raw text.

File format: one ``label<TAB>surface<TAB>key`` per line, ``#`` comments and
blank lines ignored. Forms that share a ``key`` (``Organisation mondiale de la
Santé`` and ``OMS``: ``who``) name one real-world thing.

Matching is token based and leftmost-longest, so a name never matches inside
a longer word and ``Afrique du Sud`` wins over ``Afrique``. Tokens are compared
on a normalised form (the guide's normalisation, apostrophes folded, Latin
accents removed) while offsets always come from the raw text. An acronym
(``OMS``, ``UNICEF``) matches only with the same letter case; another name
needs the same case on its first letter (``Union africaine`` is not ``union``).
For languages with proclitics (Arabic: ``و ف ب ل ك``, read from the
``proclitics`` and ``conjunctions`` keys of ``data/<lang>/dates.yaml``) a name
may carry attached proclitics, which stay outside the span; in ``لل`` + noun
the span starts after the first ``ل``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import yaml

from ..paths import data_path
from ..record import Mention
from ..text.normalize import normalize

__all__ = ["Gazetteer", "GazetteerEntry", "LABELS"]

LABELS = ("PER", "ORG", "LOC", "DATE")

# A word (letters/digits with Arabic marks and tatweel inside) or any other single character.
_TOKEN = re.compile(r"(?:[^\W_]|[\u0610-\u061A\u064B-\u065F\u0670\u0640])+|\S")


@lru_cache(maxsize=16_384)
def _norm(token: str) -> str:
    """Matching form of one token: guide normalisation, ’ -> ', Latin accents dropped."""
    s = normalize(token.replace("’", "'").replace("‘", "'"))
    s = "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", s)


def _is_acronym(surface: str) -> bool:
    letters = [c for c in surface if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters if c.lower() != c.upper()) \
        and any(c.lower() != c.upper() for c in letters)


@dataclass(frozen=True)
class GazetteerEntry:
    """One surface form of a known name."""

    label: str
    surface: str
    key: str
    acronym: bool
    capitalised: bool


@dataclass
class Gazetteer:
    """Known names of one language; ``find`` returns (label, mention, key) triples."""

    lang: str
    entries: dict[tuple[str, ...], GazetteerEntry] = field(default_factory=dict)
    proclitics: str = ""
    conjunctions: str = ""
    _lengths: dict[str, list[int]] = field(default_factory=dict, repr=False)

    # -- building ------------------------------------------------------------
    @classmethod
    def load(cls, lang: str, path: str | Path | None = None) -> "Gazetteer":
        """The gazetteer of ``lang`` (``data/<lang>/gazetteer.tsv`` unless ``path`` is given)."""
        p = Path(path) if path is not None else data_path(lang, "gazetteer.tsv")
        if not p.is_file():
            raise FileNotFoundError(
                f"no gazetteer for language {lang!r}: expected {p} with lines 'label<TAB>surface<TAB>key'")
        proclitics, conjunctions = _clitics(lang)
        g = cls(lang=lang, proclitics=proclitics, conjunctions=conjunctions)
        g.add_lines(p.read_text(encoding="utf-8").splitlines(), source=str(p))
        return g

    def add_lines(self, lines: Iterable[str], source: str = "<lines>") -> None:
        """Add ``label<TAB>surface<TAB>key`` lines; the first entry of a surface wins."""
        for n, line in enumerate(lines, 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3 or not all(p.strip() for p in parts):
                raise ValueError(f"{source}:{n}: expected 'label<TAB>surface<TAB>key', got {line!r}")
            label, surface, key = (p.strip() for p in parts)
            if label not in LABELS:
                raise ValueError(f"{source}:{n}: label {label!r} is not one of {', '.join(LABELS)}")
            self.add(label, surface, key)

    def add(self, label: str, surface: str, key: str) -> None:
        """Add one surface form."""
        toks = tuple(_norm(t) for t in _TOKEN.findall(surface))
        if not toks or toks in self.entries:
            return
        first = surface.lstrip()[0]
        self.entries[toks] = GazetteerEntry(
            label=label, surface=surface, key=key, acronym=_is_acronym(surface),
            capitalised=first.isupper())
        lens = self._lengths.setdefault(toks[0], [])
        if len(toks) not in lens:
            lens.append(len(toks))
            lens.sort(reverse=True)

    # -- lookup ----------------------------------------------------------------
    def key_of(self, surface: str) -> str | None:
        """The key of a known surface form (normalised comparison, proclitics allowed), else None."""
        toks = [(m.group(), m.start()) for m in _TOKEN.finditer(surface)]
        if not toks:
            return None
        norms = [_norm(t) for t, _ in toks]
        for first, _skip in self._first_variants(toks[0][0]):
            e = self.entries.get((first, *norms[1:]))
            if e is not None:
                return e.key
        return None

    def forms(self, key: str) -> list[str]:
        """Every surface form listed under ``key``."""
        return [e.surface for e in self.entries.values() if e.key == key]

    def _first_variants(self, raw: str) -> list[tuple[str, int]]:
        """Normalised first-token candidates with how many raw characters they skip."""
        out = [(_norm(raw), 0)]
        if not self.proclitics:
            return out
        skip = 0
        if len(raw) > 2 and raw[0] in self.conjunctions:
            skip = 1
            out.append((_norm(raw[1:]), 1))
        rest = raw[skip:]
        if len(rest) > 2 and rest[0] in self.proclitics and rest[0] not in self.conjunctions:
            out.append((_norm(rest[1:]), skip + 1))
            if rest[0] == "ل" and rest[1] == "ل":
                # لل + noun = ل + ال + noun: the span starts at the second ل
                out.append((_norm("ا" + rest[1:]), skip + 1))
        return out

    def find(self, text: str) -> list[tuple[str, Mention, str]]:
        """Known names in ``text``: leftmost-longest, flat, in text order, raw offsets."""
        toks = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
        norms = [_norm(t[0]) for t in toks]
        out: list[tuple[str, Mention, str]] = []
        i = 0
        n = len(toks)
        while i < n:
            best: tuple[int, int, GazetteerEntry] | None = None  # (length, skip, entry)
            for first, skip in self._first_variants(toks[i][0]):
                for ln in self._lengths.get(first, ()):
                    if i + ln > n or (best is not None and ln <= best[0]):
                        continue
                    e = self.entries.get((first, *norms[i + 1:i + ln]))
                    if e is None or not self._case_ok(e, toks, i, ln, skip):
                        continue
                    best = (ln, skip, e)
                    break
            if best is None:
                i += 1
                continue
            ln, skip, e = best
            s, end = toks[i][1] + skip, toks[i + ln - 1][2]
            out.append((e.label, Mention(start=s, end=end, text=text[s:end]), e.key))
            i += ln
        return out

    @staticmethod
    def _case_ok(e: GazetteerEntry, toks: list[tuple[str, int, int]], i: int, ln: int, skip: int) -> bool:
        if e.acronym:
            raw = "".join(t[0] for t in toks[i:i + ln])[skip:]
            return raw == "".join(_TOKEN.findall(e.surface))
        if e.capitalised:
            return toks[i][0][skip:skip + 1].isupper()
        return True


def _clitics(lang: str) -> tuple[str, str]:
    """The proclitic letters of a language, from ``data/<lang>/dates.yaml`` (empty when none)."""
    p = data_path(lang, "dates.yaml")
    if not p.is_file():
        return "", ""
    cfg = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    return str(cfg.get("proclitics") or ""), str(cfg.get("conjunctions") or "")
