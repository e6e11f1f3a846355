"""What every NER backend does after its model: the guide's labels, spans, clitic rule and DATE.

A backend (``hf``, ``stanza``) gives per-word tags with raw-text offsets; this
module turns them into the project's flat ``(label, Mention)`` pairs:

- ``split_label``: a model label (``B-PERS``, ``E-LOC``, ``S-ORG``, ``I-MISC``,
  ``O``...) -> (prefix, PER/ORG/LOC or ``""``); MISC and unknown classes are
  dropped (the guide has no MISC);
- ``decode``: IOB2 or BIOES word tags -> labelled word ranges (a stray ``I-``
  or ``E-`` starts a new span);
- ``CliticTrimmer``: the guide's rule that a span excludes what is outside the
  name: Arabic one-letter proclitics (``ب[مراكش]``, ``ar_lexicon.proclitic_length``,
  the rule of the Arabic tagger) and a French elided article or preposition
  glued to the name (``l'[OMS]``, ``d'[Agadir]``);
- ``finish``: adds DATE mentions (``ner.dates.find_dates``) and keeps one flat
  set of mentions, dates first (``ner.spans.resolve_overlaps``), as the Arabic tagger does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from ...record import Mention
from ..spans import resolve_overlaps
from ..ar_lexicon import Lexicon, proclitic_length

__all__ = ["LABEL_MAP", "WordTag", "split_label", "decode", "CliticTrimmer", "finish"]

LABEL_MAP = {"PER": "PER", "PERS": "PER", "PERSON": "PER", "ORG": "ORG", "ORGANIZATION": "ORG",
             "LOC": "LOC", "LOCATION": "LOC", "GPE": "LOC"}
# A French elided article or preposition at the start of a span: l'OMS, d'Agadir, L’ONU.
_FR_ELISION = re.compile(r"(?:[lLdD]|[qQ]u|[jJ]usqu)['’]")
# Priorities in ``finish``: a DATE wins over an overlapping name, as in the Arabic tagger.
_NAME, _DATE = 1, 3


@dataclass
class WordTag:
    """One word of a backend's output: raw-text offsets, the model's tag and its score."""

    start: int
    end: int
    tag: str
    score: float = 1.0


def split_label(raw: str) -> tuple[str, str]:
    """(prefix, label) of a model label: prefix ``B``/``I``/``E``/``S``/``O``; label PER/ORG/LOC or
    ``""`` when the class is not one of them (MISC, unknown) or the tag is ``O``."""
    if "-" not in raw:
        return "O", ""
    prefix, _, cls = raw.partition("-")
    return prefix.upper(), LABEL_MAP.get(cls.upper(), "")


def decode(words: Sequence[WordTag]) -> list[tuple[str, int, int, float]]:
    """Labelled spans (label, start, end, lowest word score) of IOB2 or BIOES word tags.

    ``I-`` and ``E-`` continue a span of the same label (``E-`` closes it); ``B-``
    and ``S-`` start one (``S-`` closes it); a stray ``I-``/``E-`` starts one."""
    out: list[tuple[str, int, int, float]] = []
    cur: list | None = None  # [label, start, end, score]
    for w in words:
        prefix, label = split_label(w.tag)
        if cur is not None and label == cur[0] and prefix in ("I", "E"):
            cur[2], cur[3] = w.end, min(cur[3], w.score)
            if prefix == "E":
                out.append(tuple(cur))  # type: ignore[arg-type]
                cur = None
            continue
        if cur is not None:
            out.append(tuple(cur))  # type: ignore[arg-type]
            cur = None
        if label:
            cur = [label, w.start, w.end, w.score]
            if prefix == "S":
                out.append(tuple(cur))  # type: ignore[arg-type]
                cur = None
    if cur is not None:
        out.append(tuple(cur))  # type: ignore[arg-type]
    return out


@dataclass
class CliticTrimmer:
    """The guide's clitic rule for a span's start; ``known`` are the Arabic name forms (gazetteer,
    name lists) that stop a letter from being read as a proclitic (وجدة is not و + جدة)."""

    lang: str
    known: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, lang: str) -> "CliticTrimmer":
        """The trimmer of ``lang`` with the shipped Arabic lexicon's forms (none needed for French)."""
        return cls(lang, Lexicon.load().forms() if lang == "ar" else set())

    def start(self, text: str, s: int, e: int) -> int:
        """Where the span ``text[s:e]`` starts once the clitics outside the name are cut."""
        if self.lang == "ar":
            word_end = s
            while word_end < e and not text[word_end].isspace():
                word_end += 1
            return s + proclitic_length(text[s:word_end], self.known)
        if self.lang == "fr":
            m = _FR_ELISION.match(text, s, e)
            if m is not None and m.end() < e:
                return m.end()
        return s


def finish(text: str, lang: str, doc_date: str | None, spans: Sequence[tuple[str, int, int, float]],
           trimmer: CliticTrimmer | None, dates: bool = True) -> list[tuple[str, Mention]]:
    """Flat (label, mention) pairs from a backend's raw-text spans: clitics cut (when ``trimmer``),
    DATE mentions added (when ``dates``), overlaps resolved (a DATE wins, then the longer span)."""
    items: list[tuple[str, Mention, int]] = []
    for label, s, e, score in spans:
        if trimmer is not None:
            s = trimmer.start(text, s, e)
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            items.append((label, Mention(start=s, end=e, text=text[s:e], score=round(score, 4)), _NAME))
    if dates:
        from ..dates import find_dates

        items += [("DATE", m, _DATE) for m in find_dates(text, lang, doc_date)]
    return resolve_overlaps(items)
