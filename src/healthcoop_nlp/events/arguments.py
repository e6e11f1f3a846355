"""Argument linking: which entities fill which role of an event, per trigger mention.

Cues are data (``data/<lang>/event_arguments.yaml``: the words that
introduce a place, a companion, an appointee's body, a recipient, an agent).
The rules are patterns over the trigger's sentence: entity label, side and
token distance from the trigger, and the cue before the entity. For French,
a dependency parse (see ``parse.py``) refines them when available: entities
reached from the trigger through few dependency links score higher, and
places or organisations that only modify a person (``la représentante de
l'OMS au Maroc``) are left out. Every argument carries a score in [0, 1].
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable

import yaml

from ..paths import data_path
from ..text import normalize
from .context import DocContext, EntityMention
from .triggers import Lexicon, Phrase, TriggerMention, match_phrase_ending, phrase_tokens

__all__ = ["ROLES", "ArgumentCues", "load_argument_cues", "link_arguments", "DepView"]

# The guide's table (ANNOTATION.md section 3): roles of each event type.
ROLES: dict[str, tuple[str, ...]] = {
    "Contact.Meet": ("Participant", "Place", "Time"),
    "Movement.Visit": ("Visitor", "Destination", "Time"),
    "Personnel.Appoint": ("Appointee", "Organization", "Time", "Place"),
    "Agreement.Sign": ("Party", "Place", "Time"),
    "Initiative.Launch": ("Agent", "Initiative", "Place", "Time"),
    "Aid.Donate": ("Donor", "Recipient", "Place", "Time"),
}
ACTORS = ("PER", "ORG", "LOC")
# a participant-like argument found beyond another trigger of the sentence is less likely this event's
CROSSING_FACTOR = 0.6


@dataclass(frozen=True)
class Cue:
    """A phrase before an entity (``phrase``) or a proclitic attached to its first word (``clitic``)."""

    phrase: Phrase = ()
    clitic: str = ""


@dataclass(frozen=True)
class ArgumentCues:
    place: tuple[Cue, ...]
    with_: tuple[Cue, ...]
    organization: tuple[Cue, ...]
    recipient: tuple[Cue, ...]
    agent: tuple[Cue, ...]
    skip: frozenset[str]
    pronouns: frozenset[str] = frozenset()


@functools.lru_cache(maxsize=None)
def load_argument_cues(lang: str) -> ArgumentCues:
    """The argument cues of a language, read once from ``data/<lang>/event_arguments.yaml``."""
    path = data_path(lang, "event_arguments.yaml")
    if not path.exists():
        raise FileNotFoundError(f"no argument cues for language {lang!r}: add {path}")
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}

    def cues(key: str) -> tuple[Cue, ...]:
        out = []
        for v in raw.get(key) or ():
            v = str(v)
            if v.startswith("+"):
                out.append(Cue(clitic=normalize(v[1:])))
            else:
                p = phrase_tokens(v, lang)
                if p:
                    out.append(Cue(phrase=p))
        return tuple(out)

    skip = frozenset(t for v in raw.get("skip") or () for t in phrase_tokens(str(v), lang))
    return ArgumentCues(place=cues("place"), with_=cues("with"), organization=cues("organization"),
                        recipient=cues("recipient"), agent=cues("agent"), skip=skip,
                        pronouns=frozenset(t for v in raw.get("pronouns") or () for t in phrase_tokens(str(v), lang)))


class DepView:
    """Dependency distances between the trigger and entity mentions (French parse); empty when unparsed."""

    def path_len(self, trig: TriggerMention, m: EntityMention) -> int | None:  # pragma: no cover - interface
        return None

    def under_person(self, trig: TriggerMention, m: EntityMention) -> bool:  # pragma: no cover - interface
        return False


def _has_cue(ctx: DocContext, m: EntityMention, cues: tuple[Cue, ...], skip: frozenset[str],
             lex: Lexicon | None, lo: int) -> bool:
    """Whether one of the cues stands right before the mention (skipping articles and honorifics)."""
    tok = ctx.tokens[m.tok_start]
    prefix = normalize(ctx.text[tok.start:m.start]) if tok.start < m.start else ""
    for c in cues:
        if c.clitic and prefix.endswith(c.clitic):
            return True
    end = m.tok_start
    for _ in range(4):
        for c in cues:
            if c.phrase and match_phrase_ending(ctx, end, c.phrase, lo, lex):
                return True
        if end - 1 >= lo and ctx.norm[end - 1] in skip:
            end -= 1
            continue
        break
    return False


def _distance(ctx: DocContext, trig: TriggerMention, m: EntityMention) -> int:
    """Tokens between the trigger and the mention, job titles not counted."""
    if m.tok_start >= trig.tok_end:
        return ctx.span_len(trig.tok_end, m.tok_start)
    if m.tok_end <= trig.tok:
        return ctx.span_len(m.tok_end, trig.tok)
    return 0


def _clause_gap(ctx: DocContext, a: int, b: int) -> int:
    """Clause punctuation marks between token indices a < b."""
    return sum(1 for k in range(a, b) if ctx.is_clause_punct(k))


class _Linker:
    """Builds the arguments of one trigger mention."""

    def __init__(self, ctx: DocContext, trig: TriggerMention, cues: ArgumentCues, lex: Lexicon | None, dep: DepView,
                 others: list[TriggerMention]):
        self.ctx, self.trig, self.cues, self.lex, self.dep = ctx, trig, cues, lex, dep
        self.others = [o for o in others if o.sent == trig.sent and o is not trig]
        self.lo, self.hi = ctx.sent_bounds(trig.sent)
        self.cands = [m for m in ctx.sentence_mentions(trig.sent)
                      if not (m.tok_start < trig.tok_end and trig.tok < m.tok_end)]
        self.free = [m for m in self.cands if not ctx.in_title_zone(m) and not dep.under_person(trig, m)]
        self.out: dict[tuple[str, str], float] = {}
        self.used: set[int] = set()

    # -- helpers ------------------------------------------------------------
    def crosses_trigger(self, m: EntityMention) -> bool:
        """Whether another trigger stands between this trigger and the mention (it is that event's argument)."""
        lo, hi = (self.trig.tok_end, m.tok_start) if m.tok_start >= self.trig.tok_end else (m.tok_end, self.trig.tok)
        return any(lo <= o.tok and o.tok_end <= hi for o in self.others)

    def add(self, role: str, m: EntityMention, score: float) -> None:
        if role not in ("Time", "Place", "Destination") and self.crosses_trigger(m):
            score *= CROSSING_FACTOR
        key = (role, m.entity)
        self.out[key] = max(self.out.get(key, 0.0), round(min(1.0, max(0.0, score)), 3))
        self.used.add(id(m))

    def closeness(self, m: EntityMention, base: float, per_tok: float = 0.01, floor: float = 0.2) -> float:
        """A score falling with the distance to the trigger (dependency links when parsed, else tokens)."""
        pl = self.dep.path_len(self.trig, m)
        if pl is not None:
            return max(floor, base - 0.08 * max(0, pl - 1))
        return max(floor, base - per_tok * _distance(self.ctx, self.trig, m))

    def cue(self, m: EntityMention, cues) -> bool:
        return _has_cue(self.ctx, m, cues, self.cues.skip, self.lex, self.lo)

    def after(self, m: EntityMention, within: int) -> bool:
        return m.tok_start >= self.trig.tok_end and m.tok_start - self.trig.tok_end <= within

    def before(self, m: EntityMention, within: int) -> bool:
        return m.tok_end <= self.trig.tok and self.trig.tok - m.tok_end <= within

    def same_clause(self, m: EntityMention) -> bool:
        if m.tok_start >= self.trig.tok_end:
            return _clause_gap(self.ctx, self.trig.tok_end, m.tok_start) == 0
        return _clause_gap(self.ctx, m.tok_end, self.trig.tok) == 0

    # -- shared roles -------------------------------------------------------
    def time(self) -> None:
        dates = [m for m in self.cands if m.label == "DATE"]
        if dates:
            best = min(dates, key=lambda m: _distance(self.ctx, self.trig, m))
            self.add("Time", best, self.closeness(best, 0.9, 0.01, 0.45))

    def place(self, role: str = "Place", labels: tuple[str, ...] = ("LOC",), extra: tuple = ()) -> None:
        cues = self.cues.place + tuple(extra)
        locs = [m for m in self.free if m.label in labels and id(m) not in self.used and self.cue(m, cues)]
        if not locs:
            return
        locs.sort(key=lambda m: _distance(self.ctx, self.trig, m))
        best = locs[0]
        self.add(role, best, self.closeness(best, 0.9, 0.01, 0.35))
        # a chained place: à Bellagio, en Italie / بمراكش، المغرب
        for m in locs[1:]:
            if m.tok_start > best.tok_end and m.tok_start - best.tok_end <= 3 and m.label == "LOC":
                self.add(role, m, self.closeness(best, 0.85, 0.01, 0.35))
                break

    def persons(self, role: str, base: float = 0.85) -> list[EntityMention]:
        pers = [m for m in self.free if m.label == "PER" and id(m) not in self.used]
        for m in pers:
            self.add(role, m, self.closeness(m, base, 0.015, 0.3))
        return pers

    def genitive(self, labels: tuple[str, ...], within: int = 4) -> EntityMention | None:
        """The entity that completes the trigger noun: réunion du [Comité], اجتماع [اللجنة]."""
        for m in sorted(self.free, key=lambda m: m.tok_start):
            if m.label in labels and self.after(m, within) and self.same_clause(m) and id(m) not in self.used:
                # au siège du [ministère]: where, not whose
                return None if self.cue(m, self.cues.place) and not self.after(m, 0) else m
        return None

    def subject(self, labels: tuple[str, ...], within: int = 10) -> EntityMention | None:
        """The nearest entity before the trigger in its clause (French SVO), or after an Arabic verb (VSO)."""
        if self.ctx.lang == "ar":
            if self.trig.pos != "verb":
                # a support verb's subject right before the noun: قدمت [اليابان] هبة، أجرى [الوزير] مباحثات
                near = [m for m in self.free if m.label in labels and self.before(m, 1) and self.same_clause(m)
                        and id(m) not in self.used]
                return max(near, key=lambda m: m.tok_start) if near else None
            for m in sorted(self.free, key=lambda m: m.tok_start):
                if m.label in labels and self.after(m, 4) and id(m) not in self.used:
                    return m
        before = [m for m in self.free if m.label in labels and self.before(m, within) and id(m) not in self.used]
        before = [m for m in before if _clause_gap(self.ctx, m.tok_end, self.trig.tok) <= 2]
        return max(before, key=lambda m: m.tok_start) if before else None

    def pronoun_subject(self, labels: tuple[str, ...]) -> EntityMention | None:
        """For a verb whose subject is a pronoun (qu'elle a inauguré), the latest PER/ORG before it."""
        if self.trig.pos != "verb" or not self.cues.pronouns:
            return None
        k = self.trig.tok - 1
        while k >= self.lo and k >= self.trig.tok - 4 and self.ctx.norm[k] not in self.cues.pronouns:
            k -= 1
        if k < self.lo or k < self.trig.tok - 4:
            return None
        prev = [m for m in self.ctx.mentions if m.label in labels and m.tok_end <= k and m.sent >= self.trig.sent - 1
                and not self.ctx.in_title_zone(m)]
        return max(prev, key=lambda m: m.tok_start) if prev else None

    def with_cue(self, cues, labels: tuple[str, ...], side: str = "any", within: int = 15) -> list[EntityMention]:
        out = []
        for m in self.free:
            if m.label not in labels or id(m) in self.used or not self.cue(m, cues):
                continue
            if side == "after" and not self.after(m, within):
                continue
            if _distance(self.ctx, self.trig, m) > within:
                continue
            out.append(m)
        return out

    # -- per type -----------------------------------------------------------
    def meet(self) -> None:
        self.time()
        self.place()
        pers = self.persons("Participant")
        g = self.genitive(("ORG",), 4) if self.trig.pos == "noun" else None
        if g is not None:
            self.add("Participant", g, 0.75)
        if not pers and g is None:
            for m in self.with_cue(self.cues.with_, ("ORG", "LOC"), within=8):
                self.add("Participant", m, 0.6)
            s = self.subject(("ORG",), 6)
            if s is not None:
                self.add("Participant", s, 0.6)

    def visit(self) -> None:
        self.time()
        dest = [m for m in self.free if m.label in ("LOC", "ORG") and self.after(m, 6)
                and (self.cue(m, self.cues.place) or self.cue(m, self.cues.recipient) or self.after(m, 0))]
        if dest:
            best = min(dest, key=lambda m: m.tok_start)
            self.add("Destination", best, self.closeness(best, 0.85, 0.02, 0.4))
        per = [m for m in self.free if m.label == "PER" and id(m) not in self.used]
        if per:
            best = min(per, key=lambda m: _distance(self.ctx, self.trig, m))
            self.add("Visitor", best, self.closeness(best, 0.85, 0.01, 0.35))
        else:
            s = self.subject(("ORG",), 6)
            if s is not None:
                self.add("Visitor", s, 0.55)

    def appoint(self) -> None:
        self.time()
        if self.trig.pos == "noun":
            a = self.genitive(ACTORS, 3)
        else:
            a = self.subject(("PER", "ORG", "LOC"), 8) if self.ctx.lang == "fr" else self.genitive(ACTORS, 4)
        if a is None:
            per = [m for m in self.free if m.label == "PER"]
            a = min(per, key=lambda m: _distance(self.ctx, self.trig, m)) if per else None
            if a is not None:
                self.add("Appointee", a, self.closeness(a, 0.6, 0.01, 0.3))
        else:
            self.add("Appointee", a, 0.85)
        orgs = [m for m in self.with_cue(self.cues.organization, ("ORG",), side="after", within=10)]
        if orgs:
            o = min(orgs, key=lambda m: m.tok_start)
            self.add("Organization", o, 0.8)
        self.place()

    def sign(self) -> None:
        self.time()
        self.place()
        pers = self.persons("Party", 0.8)
        if not pers:
            for m in self.with_cue(self.cues.with_, ACTORS, within=12):
                self.add("Party", m, 0.7)
            s = self.subject(("ORG", "LOC"), 8)
            if s is not None:
                self.add("Party", s, 0.6)

    def launch(self) -> None:
        self.time()
        ag = None
        if self.ctx.lang == "ar" and self.trig.pos == "verb":  # VSO: أطلقت [المنظمة] [البرنامج]
            ag = self.subject(("PER", "ORG", "LOC"), 4)
            if ag is not None:
                self.add("Agent", ag, 0.8)
        ini = self.genitive(("ORG",), 3 if ag is None else ag.tok_end - self.trig.tok_end + 3)
        if ini is not None:
            self.add("Initiative", ini, 0.85)
        agents = self.with_cue(self.cues.agent, ("PER", "ORG"), side="after", within=8) if ag is None else []
        if agents:
            ag = min(agents, key=lambda m: m.tok_start)
            self.add("Agent", ag, 0.8)
        if ag is None:
            ag = self.subject(("PER", "ORG", "LOC"), 10)
            if ag is not None:
                self.add("Agent", ag, 0.75)
        if ag is None and ini is not None:
            # the owner of the launched body: le lancement du Comité de l'[OMS]
            own = [m for m in self.free if m.label in ("ORG", "LOC") and m.tok_start >= ini.tok_end
                   and m.tok_start - ini.tok_end <= 3 and id(m) not in self.used]
            if own:
                self.add("Agent", own[0], 0.65)
                ag = own[0]
        if ag is None:
            ag = self.pronoun_subject(("ORG", "PER"))
            if ag is not None:
                self.add("Agent", ag, 0.6)
        self.place()

    def donate(self) -> None:
        self.time()
        rec = self.with_cue(self.cues.recipient, ACTORS, side="after", within=12)
        # an organisation or a person receives; a place after "à" is where, unless no one else is named
        people = [m for m in rec if m.label in ("PER", "ORG")]
        if people or rec:
            r = min(people or rec, key=lambda m: m.tok_start)
            self.add("Recipient", r, 0.75 if people else 0.6)
        donors = self.with_cue(self.cues.agent, ACTORS, side="after", within=8)
        d = min(donors, key=lambda m: m.tok_start) if donors else self.subject(ACTORS, 10)
        if d is None and self.trig.pos == "noun":
            d = self.genitive(ACTORS, 3)
        if d is not None:
            self.add("Donor", d, 0.7)
        self.place()


_BY_TYPE: dict[str, Callable[[_Linker], None]] = {
    "Contact.Meet": _Linker.meet,
    "Movement.Visit": _Linker.visit,
    "Personnel.Appoint": _Linker.appoint,
    "Agreement.Sign": _Linker.sign,
    "Initiative.Launch": _Linker.launch,
    "Aid.Donate": _Linker.donate,
}


def link_arguments(ctx: DocContext, trig: TriggerMention, cues: ArgumentCues, lex: Lexicon | None = None,
                   dep: DepView | None = None, others: list[TriggerMention] | None = None) -> list[tuple[str, str, float]]:
    """(role, entity id, score) arguments of one trigger mention, from its sentence.

    ``others``: the document's other trigger mentions (an entity beyond one of them scores lower).
    """
    linker = _Linker(ctx, trig, cues, lex, dep or DepView(), others or [])
    _BY_TYPE[trig.type](linker)
    return [(role, ent, s) for (role, ent), s in linker.out.items()]
