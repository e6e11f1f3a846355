"""Language of a text and of each of its segments, with Darija detection for Arabic.

``identify(text)`` returns a ``LangResult``: the document language is the
language of most of the text, counted in characters of segments (not the
language of the first line); ``confidence`` is the share of those characters,
weighted by each segment's confidence. A segment most of whose words are
capitalised (a page header in Title Case, a list of names) counts only the
share of its words that are not: names and headers are written alike
whatever the language around them (``header_weight``). For Arabic, ``dialect`` is ``"ary"``
when Darija segments hold most of the Arabic characters. ``identify_batch(texts)``
gives the same results for many texts faster (their Arabic segments are scored
for Darija together).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from .darija import DarijaModel, load_default
from .detector import BaseDetector
from .segment import has_letter, scripted_segments, segments as split_segments

__all__ = ["LangResult", "Segment", "LanguageIdentifier", "identify", "identify_batch", "default_identifier", "UND"]

UND = "und"
# Darija on short Arabic segments needs a surer classifier: on 1- to 4-word
# fragments of MSA news (ANERcorp test, never trained on) P >= 0.5 flags 41 %,
# 21 %, 13 % and 7 % (a headline such as "مراكش: انعقاد الاجتماع." scores 0.74);
# these thresholds flag 1.3 %, 1.0 %, 1.3 % and 1.6 %. Longer segments use the
# model's own threshold.
DARIJA_MIN_PROB_SHORT = {1: 0.98, 2: 0.95, 3: 0.9, 4: 0.8}
# The general detectors read Moroccan spelling (the letter ڭ, phonetic long
# vowels) as Persian or Urdu. A segment they give to fa/ur is Darija when it
# holds ڭ (a Maghrebi letter, not used in Persian or Urdu), or when they are
# unsure (confidence under DARIJA_OVERRIDE_CONF) and the Darija classifier is
# sure (P >= DARIJA_OVERRIDE_PROB).
MOROCCAN_LETTERS = frozenset("\u06AD")
DARIJA_OVERRIDE_CONF = 0.8
DARIJA_OVERRIDE_PROB = 0.9
# A segment is a header or a list of names when more than this share of its words are capitalised.
# On dev documents (bench/langid.py --dev: DODa English / Darija mixes, 3,000) any share from 0.5 to
# 0.8 scores as characters alone (87.1 against 87.2 %); the project's articles are unchanged.
HEADER_CAPITALISED = 0.5
# The first letter of each whitespace-delimited word that has one (``2015``, ``-`` are not words).
_FIRST_LETTER = re.compile(r"(?<!\S)\S*?([^\W\d_])")


@dataclass
class Segment:
    """One language segment: ``text[start:end]`` in language ``lang``.

    ``weight``: how many characters it counts for in the document's language
    (``header_weight``; None: all of them)."""

    start: int
    end: int
    lang: str
    confidence: float
    dialect: str | None = None
    weight: float | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "lang": self.lang,
                "confidence": self.confidence, "dialect": self.dialect}


@dataclass
class LangResult:
    """The language of a text; ``segments`` is filled when asked for."""

    lang: str
    confidence: float
    dialect: str | None = None
    segments: list[Segment] | None = field(default=None)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"lang": self.lang, "confidence": self.confidence, "dialect": self.dialect}
        if self.segments is not None:
            d["segments"] = [s.to_dict() for s in self.segments]
        return d


class LanguageIdentifier:
    """Segment-level language identification with Darija detection.

    ``languages``: None (the shipped ``languages.yaml``), ``"all"`` (every
    language the detectors know) or a dict script -> ISO codes.
    ``darija``: a ``DarijaModel``, None for the shipped one, or False to
    skip dialect detection.
    """

    def __init__(self, languages: str | dict[str, Iterable[str]] | None = None,
                 darija: DarijaModel | bool | None = None, short_letters: int = 20, min_prob: float = 0.5):
        self._detector_options = {"languages": languages, "short_letters": short_letters, "min_prob": min_prob}
        self._detector: BaseDetector | None = None
        self._darija_option = darija
        self._darija: DarijaModel | None = None

    # Models load on first use: a text without letters needs none.
    @property
    def detector(self) -> BaseDetector:
        if self._detector is None:
            self._detector = BaseDetector(**self._detector_options)  # type: ignore[arg-type]
        return self._detector

    @property
    def darija(self) -> DarijaModel | None:
        if self._darija is None and self._darija_option is not False:
            opt = self._darija_option
            self._darija = load_default() if opt is None or opt is True else opt  # type: ignore[assignment]
        return self._darija

    def load(self) -> "LanguageIdentifier":
        """Load every model now (fastText, lingua per script, Darija) rather than on first use."""
        self.detector.load_all()
        _ = self.darija
        return self

    def segment(self, text: str) -> list[Segment]:
        """Every segment of the text with its language (``und`` where it has no letter)."""
        return self.segment_batch([text])[0]

    def segment_batch(self, texts: Sequence[str]) -> list[list[Segment]]:
        """``segment`` of each text; the Darija classifier scores the Arabic segments of all texts at once."""
        out: list[list[Segment]] = []
        # Segments the Darija classifier must see: (segment, its text, rule), scored together below.
        pending: list[tuple[Segment, str, str]] = []
        detect = self.detector.detect
        for text in texts:
            segs = []
            for s, e, script, letters in scripted_segments(text):
                chunk = text[s:e]
                lang, conf = detect(chunk, script, letters)
                seg = Segment(s, e, lang, round(conf, 4), weight=header_weight(chunk))
                if lang == "ar":
                    pending.append((seg, chunk, "ar"))
                elif lang in ("fa", "ur") and self._darija_option is not False:
                    if any(c in MOROCCAN_LETTERS for c in chunk):
                        seg.lang, seg.confidence, seg.dialect = "ar", round(max(conf, 0.5), 4), "ary"
                    elif conf < DARIJA_OVERRIDE_CONF:
                        pending.append((seg, chunk, "override"))
                segs.append(seg)
            out.append(segs)
        if pending and self.darija is not None:
            model = self.darija
            for (seg, _, rule), (p, words) in zip(pending, model.probs_and_words([c for _, c, _ in pending])):
                if p is None:
                    continue
                if rule == "ar":
                    if p >= DARIJA_MIN_PROB_SHORT.get(words, model.threshold):
                        seg.dialect = "ary"
                elif p >= DARIJA_OVERRIDE_PROB:
                    seg.lang, seg.confidence, seg.dialect = "ar", round(p, 4), "ary"
        return out

    def identify(self, text: str, segments: bool = False) -> LangResult:
        """The language of ``text`` (``und``, confidence 0 when it has no letter)."""
        return self.identify_batch([text], segments=segments)[0]

    def identify_batch(self, texts: Sequence[str], segments: bool = False) -> list[LangResult]:
        """``identify`` of each text, with the Darija scoring of all their Arabic segments done together."""
        for t in texts:
            if not isinstance(t, str):
                raise TypeError(f"identify() takes a str, got {type(t).__name__}")
        lettered = [i for i, t in enumerate(texts) if has_letter(t)]
        segs_of = dict(zip(lettered, self.segment_batch([texts[i] for i in lettered]))) if lettered else {}
        out = []
        for i, text in enumerate(texts):
            segs = segs_of.get(i)
            if segs is None:
                und = [Segment(s, e, UND, 0.0) for s, e in split_segments(text)]
                out.append(LangResult(UND, 0.0, None, und if segments else None))
            else:
                out.append(self.combine(segs, keep_segments=segments))
        return out

    @staticmethod
    def combine(segs: list[Segment], keep_segments: bool = False) -> LangResult:
        """The document's language from its segments: most characters wins (each segment's ``weight``
        when every segment has one and they are not all zero), then the higher confidence."""
        known = [s for s in segs if s.lang != UND]
        weighted_by_segment = all(s.weight is not None for s in known) and any(s.weight for s in known)
        chars: dict[str, float] = {}
        weighted: dict[str, float] = {}
        total = 0.0
        for s in known:
            n = s.weight if weighted_by_segment and s.weight is not None else s.end - s.start
            total += n
            chars[s.lang] = chars.get(s.lang, 0) + n
            weighted[s.lang] = weighted.get(s.lang, 0.0) + n * s.confidence
        if not chars:
            return LangResult(UND, 0.0, None, segs if keep_segments else None)
        lang = max(chars, key=lambda k: (chars[k], weighted[k]))
        confidence = round(weighted[lang] / total, 4)
        dialect = None
        if lang == "ar":
            ary = sum(s.end - s.start for s in known if s.lang == "ar" and s.dialect == "ary")
            if ary * 2 > sum(s.end - s.start for s in known if s.lang == "ar"):
                dialect = "ary"
        return LangResult(lang, confidence, dialect, segs if keep_segments else None)


def header_weight(text: str) -> float:
    """The characters ``text`` counts for in its document's language: all of them, or, when more than
    ``HEADER_CAPITALISED`` of its words are capitalised (a Title Case header, a list of names), the
    share of its words that are not (every word of a script without capitals counts)."""
    firsts = _FIRST_LETTER.findall(text)
    capitalised = sum(1 for c in firsts if c.isupper())
    if capitalised <= HEADER_CAPITALISED * len(firsts):
        return float(len(text))
    return len(text) * (len(firsts) - capitalised) / len(firsts)


_DEFAULT: LanguageIdentifier | None = None


def default_identifier() -> LanguageIdentifier:
    """The shared identifier with the shipped settings (its models load on first use)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = LanguageIdentifier()
    return _DEFAULT


def identify(text: str, segments: bool = False) -> LangResult:
    """Language, confidence and dialect of ``text``; with ``segments=True`` also each segment with offsets.

    A text without any letter (empty, spaces, digits, symbols) is ``und`` with
    confidence 0 and loads no model.
    """
    return default_identifier().identify(text, segments=segments)


def identify_batch(texts: Sequence[str], segments: bool = False) -> list[LangResult]:
    """``identify`` of each text; faster than one call per text (the Darija classifier scores them together)."""
    return default_identifier().identify_batch(texts, segments=segments)
