"""The document view shared by the event steps: tokens, sentences and entity mentions.

Every offset is a ``str`` index into ``record.text``; token texts are
normalised for matching only (lower case and ’ -> ' for French; the scorer's
Arabic folding for Arabic).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ..record import Record
from ..text import normalize, sentences, tokenize
from ..text.tokenize import Token

__all__ = ["EntityMention", "DocContext", "build_context", "norm_token"]

_INITIAL = re.compile(r"(?:^|\s)\w\.$")
_CLAUSE_PUNCT = frozenset({",", ";", ":", "(", ")", "،", "؛"})


def norm_token(text: str, lang: str) -> str:
    """A token's text as compared with lexicon entries."""
    if lang == "ar":
        return normalize(text)
    return text.lower().replace("’", "'").replace("ʼ", "'")


@dataclass
class EntityMention:
    """One mention of one entity, located in tokens and sentences."""

    entity: str
    label: str
    start: int
    end: int
    text: str
    tok_start: int
    tok_end: int  # exclusive
    sent: int


@dataclass
class DocContext:
    """Tokens, sentences and entity mentions of one record."""

    text: str
    lang: str
    tokens: list[Token]
    norm: list[str]
    sents: list[tuple[int, int]]
    tok_sent: list[int]
    mentions: list[EntityMention]
    title_zones: list[tuple[int, int]] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list, repr=False)
    _tok_mention: dict[int, EntityMention] = field(default_factory=dict, repr=False)
    _cum: list[int] = field(default_factory=list, repr=False)

    def span_len(self, a: int, b: int) -> int:
        """Tokens in ``[a, b)`` outside persons' job titles (a title does not put a name further away)."""
        if b <= a:
            return 0
        return self._cum[b] - self._cum[a]

    def token_at(self, char: int) -> int:
        """Index of the token that contains or follows character ``char``."""
        i = bisect.bisect_right(self._starts, char) - 1
        if i >= 0 and self.tokens[i].end > char:
            return i
        return min(i + 1, len(self.tokens) - 1)

    def sent_bounds(self, sent: int) -> tuple[int, int]:
        """Token index range [first, last+1) of a sentence."""
        lo = bisect.bisect_left(self.tok_sent, sent)
        hi = bisect.bisect_right(self.tok_sent, sent)
        return lo, hi

    def mention_at_token(self, i: int) -> EntityMention | None:
        """The entity mention covering token ``i``, if any."""
        return self._tok_mention.get(i)

    def sentence_mentions(self, sent: int) -> list[EntityMention]:
        return [m for m in self.mentions if m.sent == sent]

    def in_title_zone(self, m: EntityMention) -> bool:
        """Whether the mention sits inside a person's job title (la directrice de l'[OMS], X)."""
        return any(s <= m.start and m.end <= e for s, e in self.title_zones)

    def is_headline(self, sent: int) -> bool:
        """Whether a sentence is the article's title line: the first line, without final punctuation."""
        if sent != 0 or not self.sents:
            return False
        s, e = self.sents[0]
        return self.text[e - 1] not in ".!?…؟" and "\n" in self.text[e:e + 3]

    def is_clause_punct(self, i: int) -> bool:
        return self.tokens[i].text in _CLAUSE_PUNCT


def _sentence_spans(text: str, mention_spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences of the text, never cut inside an entity mention or after an initial (Karim B. Naciri)."""
    out: list[tuple[int, int]] = []
    for s, e in sentences(text):
        if out:
            ps, pe = out[-1]
            cut_mention = any(ms < pe and me > s for ms, me in mention_spans)
            if cut_mention or _INITIAL.search(text[ps:pe]):
                out[-1] = (ps, e)
                continue
        out.append((s, e))
    return out


def _found_titles(record: Record) -> list[tuple[int, int]]:
    """Job-title spans next to every PER mention, from the entities step's title finder."""
    try:
        from ..entities.titles import find_titles
    except ImportError:  # the entities package without a title finder: titles from entities only
        return []
    pairs = [(ent.label, m) for m, ent in record.mentions()]
    if not any(lab == "PER" for lab, _ in pairs):
        return []
    try:
        spans = find_titles(record.text, pairs, record.lang)
    except FileNotFoundError:  # no title lexicon for this language
        return []
    return [(t.start, t.end) for t in spans if t is not None]


def _title_zones(record: Record) -> list[tuple[int, int]]:
    """Spans of the text where a PER's job title is written next to one of its mentions."""
    zones = _found_titles(record)
    text = record.text
    for ent in record.entities:
        if ent.label != "PER" or not ent.title or len(ent.title) < 4:
            continue
        for m in ent.mentions:
            lo = max(0, m.start - len(ent.title) - 40)
            hi = min(len(text), m.end + len(ent.title) + 40)
            pos = text.find(ent.title, lo, hi)
            if pos >= 0:
                zones.append((pos, pos + len(ent.title)))
    return zones


def build_context(record: Record) -> DocContext:
    """The shared view of a record for the event steps."""
    text = record.text
    lang = record.lang
    pairs = record.mentions()
    spans = [(m.start, m.end) for m, _ in pairs]
    sents = _sentence_spans(text, spans)
    tokens = tokenize(text)
    sent_starts = [s for s, _ in sents]
    tok_sent = [max(0, bisect.bisect_right(sent_starts, t.start) - 1) for t in tokens]
    starts = [t.start for t in tokens]
    ctx = DocContext(text=text, lang=lang, tokens=tokens, norm=[norm_token(t.text, lang) for t in tokens],
                     sents=sents, tok_sent=tok_sent, mentions=[], title_zones=_title_zones(record), _starts=starts)
    cum = [0]
    zones = sorted(ctx.title_zones)
    for t in tokens:
        inside = any(zs <= t.start and t.end <= ze for zs, ze in zones)
        cum.append(cum[-1] + (0 if inside else 1))
    ctx._cum = cum
    for m, ent in pairs:
        if not tokens or m.end <= m.start:
            continue
        ts = ctx.token_at(m.start)
        te = bisect.bisect_left(starts, m.end)
        te = max(te, ts + 1)
        em = EntityMention(entity=ent.id, label=ent.label, start=m.start, end=m.end, text=m.text,
                           tok_start=ts, tok_end=te, sent=tok_sent[ts])
        ctx.mentions.append(em)
        for i in range(ts, te):
            ctx._tok_mention.setdefault(i, em)
    return ctx
