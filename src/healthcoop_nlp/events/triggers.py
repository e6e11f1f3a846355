"""Trigger lexicons (``data/<lang>/triggers.yaml``) and trigger finding in a document.

A lexicon entry is a set of forms of one event type with the conditions that
make a match a trigger (words before or after it, an entity after it). For
Arabic, proclitics, the article and enclitic pronouns are stripped by general
code before lookup, so the lexicon lists bare forms.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..paths import data_path
from ..record import EVENT_TYPES
from ..text import tokenize
from .context import DocContext, norm_token

__all__ = ["TriggerEntry", "Lexicon", "TriggerMention", "load_lexicon", "find_triggers", "token_keys",
           "phrase_tokens", "match_phrase_ending", "match_phrase_starting"]

Phrase = tuple[str, ...]


def phrase_tokens(phrase: str, lang: str) -> Phrase:
    """A phrase of a data file as normalised tokens."""
    return tuple(norm_token(t.text, lang) for t in tokenize(str(phrase)))


@dataclass(frozen=True)
class TriggerEntry:
    """Forms of one event type that share their conditions."""

    type: str
    forms: tuple[Phrase, ...]
    pos: str = "noun"
    score: float = 0.9
    before: tuple[Phrase, ...] = ()
    before_gap: int = 0
    not_before: tuple[Phrase, ...] = ()
    after: tuple[Phrase, ...] = ()
    after_gap: int = 0
    not_after: tuple[Phrase, ...] = ()
    entity_after: frozenset[str] = frozenset()
    entity_window: int = 4
    status: str = "asserted"
    span: str = "first"
    group: str = ""


@dataclass
class Lexicon:
    """The trigger lexicon of one language, indexed by the first word of each form."""

    lang: str
    entries: list[TriggerEntry]
    index: dict[str, list[tuple[Phrase, TriggerEntry]]]
    determiners: dict[str, frozenset[str]]
    det_window: int
    clitics: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass
class TriggerMention:
    """One trigger word of an event in the text, before merging into events."""

    type: str
    start: int
    end: int
    text: str
    tok: int
    tok_end: int
    sent: int
    pos: str
    score: float
    determiner: str | None = None
    status: str = "asserted"
    group: str = ""
    headline: bool = False
    arguments: list[tuple[str, str, float]] = field(default_factory=list)


def _phrases(values: Any, lang: str) -> tuple[Phrase, ...]:
    return tuple(p for p in (phrase_tokens(v, lang) for v in (values or [])) if p)


@functools.lru_cache(maxsize=None)
def load_lexicon(lang: str) -> Lexicon:
    """The trigger lexicon of a language, read once from ``data/<lang>/triggers.yaml``."""
    path = data_path(lang, "triggers.yaml")
    if not path.exists():
        raise FileNotFoundError(f"no trigger lexicon for language {lang!r}: add {path}")
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries: list[TriggerEntry] = []
    for etype, items in (raw.get("types") or {}).items():
        if etype not in EVENT_TYPES:
            raise ValueError(f"{path}: unknown event type {etype!r}; use one of {', '.join(EVENT_TYPES)}")
        for item in items:
            entries.append(TriggerEntry(
                type=etype,
                forms=_phrases(item["forms"], lang),
                pos=item.get("pos", "noun"),
                score=float(item.get("score", 0.9)),
                before=_phrases(item.get("before"), lang),
                before_gap=int(item.get("before_gap", 0)),
                not_before=_phrases(item.get("not_before"), lang),
                after=_phrases(item.get("after"), lang),
                after_gap=int(item.get("after_gap", 0)),
                not_after=_phrases(item.get("not_after"), lang),
                entity_after=frozenset(item.get("entity_after") or ()),
                entity_window=int(item.get("entity_window", 4)),
                status=item.get("status", "asserted"),
                span=item.get("span", "first"),
                group=str(item.get("group", "")),
            ))
    index: dict[str, list[tuple[Phrase, TriggerEntry]]] = {}
    for e in entries:
        for form in e.forms:
            index.setdefault(form[0], []).append((form, e))
    for forms in index.values():  # longest form first, so multiword forms win
        forms.sort(key=lambda fe: -len(fe[0]))
    dets = raw.get("determiners") or {}
    determiners = {k: frozenset(norm_token(w, lang) for w in v) for k, v in dets.items() if isinstance(v, list)}
    clitics = {k: tuple(norm_token(w, lang) for w in v) for k, v in (raw.get("clitics") or {}).items()}
    return Lexicon(lang=lang, entries=entries, index=index, determiners=determiners,
                   det_window=int(dets.get("window", 3)), clitics=clitics)


@functools.lru_cache(maxsize=16_384)
def _ar_stems(tok: str, conj: tuple[str, ...], preps: tuple[str, ...], article: tuple[str, ...],
              enclitics: tuple[str, ...], future: tuple[str, ...]) -> tuple[tuple[str, bool, bool], ...]:
    """(stem, had_article, had_future_prefix) readings of a normalised Arabic word, the word
    itself first, then in the order the clitics are stripped (the same in every process:
    callers take the first reading that matches)."""
    out: dict[tuple[str, bool, bool], None] = {(tok, False, False): None}
    for c in ("",) + conj:
        if c and not tok.startswith(c):
            continue
        t1 = tok[len(c):]
        for p in ("",) + preps:
            if p and not t1.startswith(p):
                continue
            t2 = t1[len(p):]
            if len(t2) < 2:
                continue
            out[(t2, False, False)] = None
            for a in article:
                if t2.startswith(a) and len(t2) - len(a) >= 2:
                    out[(t2[len(a):], True, False)] = None
            if p == "ل" and t2.startswith("ل") and len(t2) > 3:  # لل = ل + ال
                out[(t2[1:], True, False)] = None
            if not p:
                for f in future:
                    if t2.startswith(f) and len(t2) - len(f) >= 3:
                        out[(t2[len(f):], False, True)] = None
    for s, a, f in list(out):
        for e in enclitics:
            if s.endswith(e) and len(s) - len(e) >= 3:
                out[(s[: -len(e)], a, f)] = None
    return tuple(out)


def token_keys(ctx: DocContext, i: int, lex: Lexicon) -> tuple[tuple[str, bool, bool], ...]:
    """The lookup keys of token ``i``: the word itself, and for Arabic its clitic-stripped stems."""
    tok = ctx.norm[i]
    if ctx.lang != "ar" or not lex.clitics:
        return ((tok, False, False),)
    c = lex.clitics
    return _ar_stems(tok, c.get("conjunctions", ()), c.get("prepositions", ()), c.get("article", ()),
                     c.get("enclitics", ()), c.get("future", ()))


def _tok_is(ctx: DocContext, i: int, word: str, lex: Lexicon | None) -> bool:
    if ctx.norm[i] == word:
        return True
    if ctx.lang == "ar" and lex is not None:
        return any(k == word for k, _, _ in token_keys(ctx, i, lex))
    return False


def match_phrase_ending(ctx: DocContext, end: int, phrase: Phrase, lo: int, lex: Lexicon | None = None) -> bool:
    """Whether the tokens ``[end - len(phrase), end)`` (not before ``lo``) spell the phrase."""
    s = end - len(phrase)
    if s < lo:
        return False
    return all(_tok_is(ctx, s + k, w, lex) for k, w in enumerate(phrase))


def match_phrase_starting(ctx: DocContext, start: int, phrase: Phrase, hi: int, lex: Lexicon | None = None) -> bool:
    """Whether the tokens ``[start, start + len(phrase))`` (not past ``hi``) spell the phrase."""
    if start + len(phrase) > hi:
        return False
    return all(_tok_is(ctx, start + k, w, lex) for k, w in enumerate(phrase))


def _conditions_hold(ctx: DocContext, e: TriggerEntry, i: int, j: int, lo: int, hi: int, lex: Lexicon) -> bool:
    """Conditions of entry ``e`` for a match over tokens ``[i, j)`` in a sentence ``[lo, hi)``."""
    if e.before and not any(match_phrase_ending(ctx, i - g, p, lo, lex)
                            for p in e.before for g in range(e.before_gap + 1)):
        return False
    if any(match_phrase_ending(ctx, i, p, lo, lex) for p in e.not_before):
        return False
    if e.after and not any(match_phrase_starting(ctx, j + g, p, hi, lex)
                           for p in e.after for g in range(e.after_gap + 1)):
        return False
    if any(match_phrase_starting(ctx, j, p, hi, lex) for p in e.not_after):
        return False
    if e.entity_after:
        if not any(m.label in e.entity_after and j <= m.tok_start <= j + e.entity_window and m.sent == ctx.tok_sent[i]
                   for m in ctx.mentions):
            return False
    return True


def _determiner(ctx: DocContext, i: int, lo: int, lex: Lexicon, had_article: bool) -> str | None:
    for k in range(i - 1, max(lo, i - lex.det_window) - 1, -1):
        if ctx.is_clause_punct(k):
            break
        for kind, words in lex.determiners.items():
            if any(key in words for key, _, _ in token_keys(ctx, k, lex)):
                return kind
    return "definite" if had_article else None


def find_triggers(ctx: DocContext, lex: Lexicon) -> list[TriggerMention]:
    """Every trigger word of the document whose conditions hold, in text order, never inside an entity."""
    out: list[TriggerMention] = []
    n = len(ctx.tokens)
    i = 0
    while i < n:
        if ctx.mention_at_token(i) is not None:
            i += 1
            continue
        sent = ctx.tok_sent[i]
        lo, hi = ctx.sent_bounds(sent)
        found = None
        for key, had_article, future in token_keys(ctx, i, lex):
            for form, e in lex.index.get(key, ()):
                if e.pos == "verb" and had_article:
                    continue
                j = i + len(form)
                if j > hi or not all(_tok_is(ctx, i + k, w, lex) for k, w in enumerate(form[1:], 1)):
                    continue
                if any(ctx.mention_at_token(k) is not None for k in range(i, j)):
                    continue
                if not _conditions_hold(ctx, e, i, j, lo, hi, lex):
                    continue
                if found is None or len(form) > found[1]:
                    found = (e, len(form), had_article, future)
        if found is None:
            i += 1
            continue
        e, length, had_article, future = found
        last = i + length - 1 if e.span == "all" else i
        t0, t1 = ctx.tokens[i], ctx.tokens[last]
        out.append(TriggerMention(
            type=e.type, start=t0.start, end=t1.end, text=ctx.text[t0.start:t1.end], tok=i, tok_end=i + length,
            sent=sent, pos=e.pos, score=e.score,
            determiner=_determiner(ctx, i, lo, lex, had_article) if e.pos == "noun" else None,
            status="scheduled" if (future or e.status == "scheduled") else "asserted", group=e.group,
        ))
        i += length
    return out
