"""Factuality of trigger mentions: happened, happening, scheduled with a date, or not an event.

Cue lists (``data/<lang>/factuality.yaml``): wishes, calls, aims and general
statements before the trigger (``appelé à``, ``تهدف إلى``), negation, and
words that put the event ahead (``prévu``, ``المقرر``). A scheduled event is
kept only when its sentence holds a DATE.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import yaml

from ..paths import data_path
from .context import DocContext
from .triggers import (Lexicon, Phrase, TriggerMention, match_phrase_ending, match_phrase_starting, phrase_tokens,
                       token_keys)

__all__ = ["FactualityCues", "load_cues", "assess", "ASSERTED", "SCHEDULED", "NON_FACTUAL"]

ASSERTED, SCHEDULED, NON_FACTUAL = "asserted", "scheduled", "non_factual"


@dataclass(frozen=True)
class FactualityCues:
    """Cue phrases of one language."""

    window: int
    non_factual: tuple[Phrase, ...]
    negation: tuple[Phrase, ...]
    negation_window: int
    scheduled: tuple[Phrase, ...]
    scheduled_window: int
    purpose_verbs: frozenset[str] = frozenset()
    purpose_markers: frozenset[str] = frozenset()
    purpose_gap: int = 1


@functools.lru_cache(maxsize=None)
def load_cues(lang: str) -> FactualityCues:
    """The factuality cues of a language, read once from ``data/<lang>/factuality.yaml``."""
    path = data_path(lang, "factuality.yaml")
    if not path.exists():
        raise FileNotFoundError(f"no factuality cues for language {lang!r}: add {path}")
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}

    def ph(key: str) -> tuple[Phrase, ...]:
        return tuple(p for p in (phrase_tokens(v, lang) for v in raw.get(key) or ()) if p)

    return FactualityCues(
        window=int(raw.get("window", 8)), non_factual=ph("non_factual"), negation=ph("negation"),
        negation_window=int(raw.get("negation_window", 3)), scheduled=ph("scheduled"),
        scheduled_window=int(raw.get("scheduled_window", 8)),
        purpose_verbs=frozenset(t for p in ph("purpose_verbs") for t in p),
        purpose_markers=frozenset(t for p in ph("purpose_markers") for t in p),
        purpose_gap=int(raw.get("purpose_gap", 1)),
    )


@functools.lru_cache(maxsize=64)
def _by_last_word(phrases: tuple[Phrase, ...]) -> dict[str, tuple[Phrase, ...]]:
    """The phrases indexed by their last word (only those can end at a given token)."""
    out: dict[str, list[Phrase]] = {}
    for p in phrases:
        out.setdefault(p[-1], []).append(p)
    return {k: tuple(v) for k, v in out.items()}


def _cue_before(ctx: DocContext, tok: int, lo: int, window: int, phrases: tuple[Phrase, ...],
                lex: Lexicon | None, stop_at_punct: bool = True) -> bool:
    """Whether a phrase ends within ``window`` tokens before ``tok`` in the same clause."""
    index = _by_last_word(phrases)
    for end in range(tok, max(lo, tok - window) - 1, -1):
        if end < tok and stop_at_punct and ctx.is_clause_punct(end):
            return False
        if end - 1 < lo:
            continue
        for w, _ in _keys(ctx, end - 1, lex):
            if any(match_phrase_ending(ctx, end, p, lo, lex) for p in index.get(w, ())):
                return True
    return False


@functools.lru_cache(maxsize=64)
def _by_first_word(phrases: tuple[Phrase, ...]) -> dict[str, tuple[Phrase, ...]]:
    out: dict[str, list[Phrase]] = {}
    for p in phrases:
        out.setdefault(p[0], []).append(p)
    return {k: tuple(v) for k, v in out.items()}


def _cue_after(ctx: DocContext, tok: int, hi: int, window: int, phrases: tuple[Phrase, ...],
               lex: Lexicon | None) -> bool:
    index = _by_first_word(phrases)
    for start in range(tok, min(hi, tok + window)):
        for w, _ in _keys(ctx, start, lex):
            if any(match_phrase_starting(ctx, start, p, hi, lex) for p in index.get(w, ())):
                return True
    return False


def _purpose(ctx: DocContext, trig: TriggerMention, lo: int, cues: FactualityCues, lex: Lexicon | None) -> bool:
    """A call or aim verb before the trigger, whose preposition stands just before it (دعا X إلى توقيع)."""
    if not cues.purpose_verbs or trig.tok - 1 < lo:
        return False
    marker = next((k for k in range(trig.tok - 1, max(lo, trig.tok - cues.purpose_gap) - 1, -1)
                   if any(w in cues.purpose_markers for w, _ in _keys(ctx, k, lex))), None)
    if marker is None:
        return False
    for k in range(marker - 1, max(lo, marker - cues.window) - 1, -1):
        if ctx.tokens[k].text in (".", ";", "؛"):
            return False
        if any(w in cues.purpose_verbs for w, _ in _keys(ctx, k, lex)):
            return True
    return False


def _keys(ctx: DocContext, i: int, lex: Lexicon | None) -> list[tuple[str, bool]]:
    if lex is None or ctx.lang != "ar":
        return [(ctx.norm[i], False)]
    return [(k, a) for k, a, _ in token_keys(ctx, i, lex)]


def assess(ctx: DocContext, trig: TriggerMention, cues: FactualityCues, lex: Lexicon | None = None) -> str:
    """``asserted``, ``scheduled`` (ahead, with a DATE in its sentence) or ``non_factual``."""
    lo, hi = ctx.sent_bounds(trig.sent)
    scheduled = trig.status == SCHEDULED or \
        _cue_before(ctx, trig.tok, lo, cues.scheduled_window, cues.scheduled, lex) or \
        _cue_after(ctx, trig.tok_end, hi, 5, cues.scheduled, lex)
    if scheduled:
        has_date = any(m.label == "DATE" for m in ctx.sentence_mentions(trig.sent))
        return SCHEDULED if has_date else NON_FACTUAL
    if _cue_before(ctx, trig.tok, lo, cues.negation_window, cues.negation, lex):
        return NON_FACTUAL
    if _cue_before(ctx, trig.tok, lo, cues.window, cues.non_factual, lex) or _purpose(ctx, trig, lo, cues, lex):
        return NON_FACTUAL
    return ASSERTED
