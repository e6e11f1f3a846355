"""Features of the learned event steps, shared by training (``train/events.py``) and inference.

Three decisions read these features:

* trigger detection: every token whose word (or, for French, its 6-letter
  prefix; for Arabic, a clitic-stripped reading) is in the candidate list
  learned from the training triggers, or that the hand lexicon
  (``data/<lang>/triggers.yaml``) matches, is a candidate; its features are
  the word, its neighbours, the lexicon's answer, factuality cues, the
  determiner, the position (title line, sentence) and the entities around it;
* event merging: a pair of mentions of one type (an earlier one and a later
  one) with their determiner, distance, title line and the dates, places and
  people of their sentences;
* argument linking: an (event, entity, role) triple described by the closest
  pair of a trigger mention and an entity mention: side, token and sentence
  distance, the cue words before the entity, clause marks and other triggers
  between them, job-title zones and, for French when a parse is given, the
  dependency path length.

Every feature is a string; a model is a weight per string (``linear.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .arguments import DepView
from .context import DocContext, EntityMention
from .factuality import FactualityCues, assess
from .triggers import Lexicon, TriggerMention, find_triggers, token_keys

__all__ = ["Mention", "ROLE_LABELS", "candidate_keys", "stem_fr", "trigger_features", "find_candidates",
           "mention_at", "prior_features", "pair_features", "argument_features", "bucket", "DocView", "role_features", "event_features"]

# labels an entity of each role may have (ANNOTATION.md section 3)
ROLE_LABELS: dict[str, tuple[str, ...]] = {
    "Participant": ("PER", "ORG", "LOC"), "Party": ("PER", "ORG", "LOC"), "Visitor": ("PER", "ORG", "LOC"),
    "Appointee": ("PER", "ORG", "LOC"), "Agent": ("PER", "ORG", "LOC"), "Donor": ("PER", "ORG", "LOC"),
    "Recipient": ("PER", "ORG", "LOC"), "Place": ("LOC", "ORG"), "Destination": ("LOC", "ORG"),
    "Time": ("DATE",), "Initiative": ("ORG",), "Organization": ("ORG", "LOC"),
}


def bucket(n: int, edges: tuple[int, ...] = (0, 1, 2, 3, 5, 8, 13, 21)) -> str:
    """A coarse bin of a count or distance (the last edge not exceeding it)."""
    b = edges[0]
    for e in edges:
        if n >= e:
            b = e
    return str(b)


def stem_fr(word: str) -> str | None:
    """A French word's 6-letter prefix (accueilli, accueillie -> accuei), None for shorter words."""
    return word[:6] if len(word) >= 6 else None


_AR_SUFFIXES = ("ات", "ون", "ين", "ان", "وا", "ت", "ة")
_AR_PREFIXES = "ايتنم"


def skeleton_ar(stem: str) -> str | None:
    """A rough Arabic pattern-free skeleton of a clitic-stripped word: one inflection suffix and one
    prefix letter of the verb or noun patterns removed, then long vowels (ا و ي) after the first letter
    (يفتتح, افتتاح -> فتتح; يستقبل, استقبال -> ستقبل); None when fewer than three letters remain."""
    w = stem
    for suf in _AR_SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            w = w[: -len(suf)]
            break
    if len(w) >= 4 and w[0] in _AR_PREFIXES:
        w = w[1:]
    w = w[0] + "".join(ch for ch in w[1:] if ch not in "اوي") if w else w
    return w if len(w) >= 3 else None


def candidate_keys(ctx: DocContext, i: int, lex: Lexicon) -> list[str]:
    """The lookup keys of token ``i``: its word, its French prefix (``s:``) or its Arabic readings and
    their skeletons (``k:``)."""
    if ctx.lang == "ar":
        keys = [k for k, _, _ in token_keys(ctx, i, lex) if len(k) >= 2]
        sk = []
        for k in keys[1:] or keys:
            x = skeleton_ar(k)
            if x and f"k:{x}" not in sk:
                sk.append(f"k:{x}")
        return keys + sk
    w = ctx.norm[i]
    s = stem_fr(w)
    return [w] + ([f"s:{s}"] if s else [])


@dataclass
class Mention:
    """A trigger mention (predicted candidate or gold trigger) located in the document's tokens."""

    tok: int
    tok_end: int
    sent: int
    start: int
    end: int
    keys: list[str]
    det: str
    headline: bool
    lex_type: str = ""
    lex_status: str = ""
    probs: dict[str, float] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.keys[0] if self.keys else ""

    def as_trigger(self, etype: str = "") -> TriggerMention:
        return TriggerMention(type=etype, start=self.start, end=self.end, text="", tok=self.tok,
                              tok_end=self.tok_end, sent=self.sent, pos="", score=0.0)


class DocView:
    """One document for the learned steps: the shared context, lexicon hits and sentence entities."""

    def __init__(self, ctx: DocContext, lex: Lexicon, cues: FactualityCues):
        self.ctx, self.lex, self.cues = ctx, lex, cues
        self.lex_hits: dict[int, TriggerMention] = {t.tok: t for t in find_triggers(ctx, lex)}
        self.lex_groups: dict[int, str] = {i: t.group for i, t in self.lex_hits.items()}
        self.sent_ents: dict[int, list[EntityMention]] = {}
        for m in ctx.mentions:
            self.sent_ents.setdefault(m.sent, []).append(m)
        self._keys: dict[int, list[str]] = {}
        self.word_counts: dict[str, int] = {}
        for w in ctx.norm:
            self.word_counts[w] = self.word_counts.get(w, 0) + 1

    def keys(self, i: int) -> list[str]:
        if i not in self._keys:
            self._keys[i] = candidate_keys(self.ctx, i, self.lex)
        return self._keys[i]

    def determiner(self, i: int) -> str:
        ctx, lex = self.ctx, self.lex
        lo, _ = ctx.sent_bounds(ctx.tok_sent[i])
        if ctx.lang == "ar":
            ks = token_keys(ctx, i, lex)
            if any(a for _, a, _ in ks):
                return "definite"
        for k in range(i - 1, max(lo, i - lex.det_window) - 1, -1):
            if ctx.is_clause_punct(k):
                break
            for kind, words in lex.determiners.items():
                if ctx.norm[k] in words:
                    return kind
        return "none"


def mention_at(view: DocView, i: int, j: int | None = None) -> Mention:
    """The mention of tokens ``[i, j)`` (one token by default), with the lexicon's answer at ``i``."""
    ctx = view.ctx
    hit = view.lex_hits.get(i)
    j = j if j is not None else (hit.tok_end if hit is not None else i + 1)
    t0, t1 = ctx.tokens[i], ctx.tokens[max(i, j - 1)]
    if hit is not None:
        t1 = ctx.tokens[ctx.token_at(hit.end - 1)]
    sent = ctx.tok_sent[i]
    return Mention(tok=i, tok_end=j, sent=sent, start=t0.start, end=t1.end if hit is not None else t0.end,
                   keys=view.keys(i), det=view.determiner(i), headline=ctx.is_headline(sent),
                   lex_type=hit.type if hit is not None else "", lex_status=hit.status if hit is not None else "")


def find_candidates(view: DocView, known: frozenset[str] | set[str]) -> list[Mention]:
    """Candidate trigger tokens: a key in the learned list ``known`` or a lexicon hit; never inside an entity."""
    ctx = view.ctx
    out = []
    for i in range(len(ctx.tokens)):
        if ctx.mention_at_token(i) is not None or not any(ch.isalpha() for ch in ctx.tokens[i].text):
            continue
        if i in view.lex_hits or any(k in known for k in view.keys(i)):
            out.append(mention_at(view, i))
    return out


PRIOR_EDGES = (0.0, 0.05, 0.15, 0.3, 0.5, 0.7, 0.85)


def prior_features(keys: list[str], prior: dict[str, list[int]], types: tuple[str, ...],
                   exclude: dict[str, list[int]] | None = None) -> list[str]:
    """How often each key was a trigger of each type in training (``prior[key] = [seen, per type...]``),
    binned; ``exclude`` removes one training document's own counts (leave-one-out)."""
    f = []
    for k in keys:
        c = prior.get(k)
        if c is None:
            continue
        c = list(c)
        if exclude is not None and k in exclude:
            c = [a - b for a, b in zip(c, exclude[k])]
        if c[0] <= 0:
            continue
        tag = k[0] if k[:2] in ("s:", "k:") else "w"
        f.append(f"{tag}seen={bucket(c[0], (1, 2, 4, 8))}")
        for t, n in zip(types, c[1:]):
            r = (n + 0.1) / (c[0] + 1.0)
            b = max(e for e in PRIOR_EDGES if r >= e)
            f.append(f"{tag}prior_{t}={b}")
    if not f:
        f.append("unseen")
    return f


def trigger_features(view: DocView, m: Mention, known: frozenset[str] | set[str],
                     prior: dict[str, list[int]] | None = None, types: tuple[str, ...] = (),
                     exclude: dict[str, list[int]] | None = None) -> list[str]:
    """Features of a trigger candidate (the classifier decides its type and whether to keep it)."""
    ctx = view.ctx
    i = m.tok
    lo, hi = ctx.sent_bounds(m.sent)
    f = [f"lang={ctx.lang}"]
    pf = prior_features(m.keys, prior, types, exclude) if prior is not None else []
    f += pf
    for k in m.keys:
        if k in known or k == m.keys[0]:
            f.append(f"w={k}")
    if m.lex_type:
        f += [f"lex={m.lex_type}", f"lexst={m.lex_status}"]
    status = assess(ctx, m.as_trigger(), view.cues, view.lex)
    f.append(f"fact={status}")
    # the word's training prior with its factuality, determiner and place in the article
    for x in pf:
        if "prior_" in x:
            f += [f"{x}|fact={status}", f"{x}|det={m.det}", f"{x}|hl={m.headline}"]
    if m.lex_type:
        f.append(f"lexfact={m.lex_type}|{status}")
    for d, name in ((-1, "p1"), (-2, "p2"), (1, "n1"), (2, "n2")):
        k = i + d if d < 0 else m.tok_end - 1 + d
        f.append(f"{name}={ctx.norm[k] if lo <= k < hi else '<s>'}")
    f.append(f"p1w={ctx.norm[i - 1] if i - 1 >= lo else '<s>'}_{m.key}")
    f.append(f"det={m.det}")
    f.append(f"hl={m.headline}")
    f.append(f"sent={bucket(m.sent, (0, 1, 2, 3, 5))}")
    f.append(f"pos_in_sent={bucket(i - lo, (0, 1, 2, 4, 8))}")
    ents = view.sent_ents.get(m.sent, [])
    for lab in ("PER", "ORG", "LOC", "DATE"):
        if any(e.label == lab for e in ents):
            f.append(f"has_{lab}")
    for e in ents:
        if m.tok_end <= e.tok_start <= m.tok_end + 3:
            f.append(f"ent_next={e.label}")
        if i - 3 <= e.tok_end <= i:
            f.append(f"ent_prev={e.label}")
    if ctx.lang == "fr" and ctx.tokens[i].text[:1].isupper() and i > lo:
        f.append("cap")
    if ctx.lang == "ar":
        ks = token_keys(ctx, i, view.lex)
        if any(fut for _, _, fut in ks[1:]):
            f.append("ar_future")
    same = view.word_counts.get(ctx.norm[i], 0)
    f.append(f"occ={bucket(same, (1, 2, 3, 5))}")
    return f


def _ents(view: DocView, m: Mention, label: str) -> set[str]:
    return {e.entity for e in view.sent_ents.get(m.sent, []) if e.label == label}


def _rel(a: set[str], b: set[str]) -> str:
    if not a or not b:
        return "none"
    if a == b:
        return "same"
    return "some" if a & b else "diff"


def pair_features(view: DocView, a: Mention, b: Mention, etype: str, between: int) -> list[str]:
    """Features of merging a later mention ``b`` into the event of an earlier mention ``a`` of type ``etype``."""
    gap = b.sent - a.sent
    f = [f"det={b.det}", f"{etype}|det={b.det}", f"hl={a.headline}|{b.headline}",
         f"gap={bucket(gap, (0, 1, 2, 3, 5))}", f"between={bucket(between, (0, 1, 2, 4))}",
         f"{etype}|between={bucket(between, (0, 1, 2, 4))}", f"lang={view.ctx.lang}"]
    if a.key == b.key:
        f.append("samekey")
    f.append(f"bw={b.key}")
    f.append(f"aw={a.key}")
    f.append(f"pair={a.key}|{b.key}")
    f.append(f"tokgap={bucket(b.tok - a.tok_end, (0, 3, 10, 30, 60, 120))}")
    if a.lex_type and b.lex_type:
        ga, gb = view.lex_groups.get(a.tok, ""), view.lex_groups.get(b.tok, "")
        f.append(f"groups={ga or '-'}|{gb or '-'}")
    if gap == 0 and 0 <= b.tok - a.tok_end <= 3:
        f.append("adjacent")
    for lab in ("DATE", "PER", "LOC", "ORG"):
        r = _rel(_ents(view, a, lab), _ents(view, b, lab))
        f.append(f"{lab}={r}")
        f.append(f"{etype}|{lab}={r}")
    if a.lex_status != b.lex_status:
        f.append("status_diff")
    return f


def _closest(ctx: DocContext, trigs: list[Mention], ems: list[EntityMention]) -> tuple[Mention, EntityMention, int]:
    """The (trigger, entity mention) pair nearest in sentences then tokens, and its token distance."""
    best = None
    for t in trigs:
        for e in ems:
            if e.tok_start >= t.tok_end:
                d = e.tok_start - t.tok_end
            elif e.tok_end <= t.tok:
                d = t.tok - e.tok_end
            else:
                d = 0
            key = (abs(e.sent - t.sent), d)
            if best is None or key < best[0]:
                best = (key, t, e, d)
    assert best is not None
    return best[1], best[2], best[3]


def _first_trigger_features(view: DocView, trigs: list[Mention], ent_mentions: list[EntityMention]) -> list[str]:
    """The entity seen from the event's first trigger mention (a news lead tells who, where and when)."""
    ctx = view.ctx
    t = min(trigs, key=lambda m: m.tok)
    same = [e for e in ent_mentions if e.sent == t.sent]
    if not same:
        return ["f:absent"]
    e = min(same, key=lambda e: abs(e.tok_start - t.tok))
    side = "after" if e.tok_start >= t.tok_end else "before" if e.tok_end <= t.tok else "in"
    d = e.tok_start - t.tok_end if side == "after" else t.tok - e.tok_end if side == "before" else 0
    lo_t, hi_t = (t.tok_end, e.tok_start) if side == "after" else (e.tok_end, t.tok)
    clause = sum(1 for k in range(lo_t, hi_t) if ctx.is_clause_punct(k))
    return [f"f:side={side}", f"f:dist={bucket(d)}", f"f:{side}|clause={bucket(clause, (0, 1, 2))}",
            f"f:{e.label}|{side}|dist={bucket(d, (0, 2, 5, 10))}"]


def argument_features(view: DocView, etype: str, trigs: list[Mention], ent_mentions: list[EntityMention],
                      others: list[Mention], dep: DepView | None = None, sent_dates: dict | None = None) -> list[str]:
    """Features of one entity (all its mentions) as an argument of one event (all its trigger mentions).

    ``others``: trigger mentions of the document that are not this event's (any type).
    The role is not in these features: the trainer and the predictor conjoin them with each role.
    """
    ctx = view.ctx
    t, e, d = _closest(ctx, trigs, ent_mentions)
    sgap = abs(e.sent - t.sent)
    side = "after" if e.tok_start >= t.tok_end else "before" if e.tok_end <= t.tok else "in"
    lab = e.label
    f = [f"lab={lab}", f"{etype}|lab={lab}", f"sgap={bucket(sgap, (0, 1, 2, 4))}", f"lang={ctx.lang}"]
    if sgap == 0:
        f += [f"side={side}", f"{lab}|side={side}", f"dist={bucket(d)}", f"{lab}|dist={bucket(d)}",
              f"{etype}|side={side}", f"{etype}|{lab}|side={side}"]
        lo_t, hi_t = (t.tok_end, e.tok_start) if side == "after" else (e.tok_end, t.tok)
        clause = sum(1 for k in range(lo_t, hi_t) if ctx.is_clause_punct(k))
        f.append(f"clause={bucket(clause, (0, 1, 2, 3))}")
        f.append(f"{side}|clause={bucket(clause, (0, 1, 2))}")
        if any(lo_t <= o.tok < hi_t for o in others):
            f.append("trig_between")
        same_lab = sum(1 for x in view.sent_ents.get(e.sent, []) if x.label == lab and lo_t <= x.tok_start < hi_t)
        f.append(f"{lab}|lab_between={bucket(same_lab, (0, 1, 2, 3))}")
        f.append(f"trigkey={t.key}|{side}")
        if dep is not None:
            pl = dep.path_len(t.as_trigger(), e)
            f.append(f"dep={'none' if pl is None else bucket(pl, (0, 1, 2, 3, 4, 6))}")
            f.append(f"{lab}|dep={'none' if pl is None else bucket(pl, (0, 1, 2, 3, 4, 6))}")
            if dep.under_person(t.as_trigger(), e):
                f.append("under_person")
    else:
        later = e.sent > t.sent
        f.append(f"sside={'later' if later else 'earlier'}")
    # cue words before the entity (articles kept), the clitic attached to its first word
    lo, _ = ctx.sent_bounds(e.sent)
    p1 = ctx.norm[e.tok_start - 1] if e.tok_start - 1 >= lo else "<s>"
    p2 = ctx.norm[e.tok_start - 2] if e.tok_start - 2 >= lo else "<s>"
    f += [f"c1={p1}", f"c2={p2}_{p1}", f"{lab}|c1={p1}"]
    tok = ctx.tokens[e.tok_start]
    clitic = ctx.text[tok.start:e.start] if tok.start < e.start else ""
    if clitic:
        f.append(f"clitic={clitic}")
    if sgap == 0:
        f += [f"{side}|c1={p1}", f"{side}|clitic={clitic}"]
        near = sorted((x for x in view.sent_ents.get(e.sent, []) if x.label == lab),
                      key=lambda x: abs(x.tok_start - t.tok))
        rank = next((k for k, x in enumerate(near) if x.entity == e.entity), 9)
        f.append(f"{lab}|rank={bucket(rank, (0, 1, 2, 3))}")
    f += _first_trigger_features(view, trigs, ent_mentions)
    _, shi = ctx.sent_bounds(e.sent)
    n1 = ctx.norm[e.tok_end] if e.tok_end < shi else "</s>"
    f.append(f"n1={n1}")
    # coordinated with an entity just before it (X et Y, X وY, X, Y): lists of participants, parties, donors
    prev = [x for x in view.sent_ents.get(e.sent, []) if x.tok_end <= e.tok_start and e.tok_start - x.tok_end <= 3]
    if prev:
        gap_words = {ctx.norm[k] for k in range(prev[-1].tok_end, e.tok_start)}
        coord = bool(gap_words & {"et", ",", "،", "و"}) or ctx.text[tok.start:e.start] in ("و", "و")
        if coord:
            f.append(f"coord={prev[-1].label}|{lab}")
            f.append(f"{lab}|coord_dist={bucket(abs(prev[-1].tok_start - t.tok), (0, 1, 3, 6, 10))}")
    if ctx.in_title_zone(e):
        f.append("in_title")
    if e.tok_start - lo <= 1 and e.sent <= 2:
        f.append(f"dateline|{lab}")
    if ctx.is_headline(e.sent):
        f.append("ent_in_headline")
    # what kind of event its words tell (a session's participant is its body, talks' are people)
    for k in sorted({x.key for x in trigs}):
        f.append(f"evkey={k}|{lab}")
    f.append(f"nment={bucket(len(ent_mentions), (1, 2, 3, 5))}")
    in_trig_sents = {m.sent for m in ent_mentions} & {x.sent for x in trigs}
    f.append(f"ntrigsents={bucket(len(in_trig_sents), (0, 1, 2, 3))}")
    if lab == "DATE" and sent_dates is not None:
        # the nearest date of the trigger's sentence, among several
        ds = sent_dates.get(t.sent, [])
        if ds:
            near = min(ds, key=lambda x: abs(x.tok_start - t.tok))
            f.append(f"nearest_date={near.entity == e.entity}|{bucket(len(ds), (1, 2, 3))}")
    return f


def role_features(etype: str, role: str, feats: list[str]) -> list[str]:
    """Argument features conjoined with a role (and the role with the event type): one model for all roles."""
    return [f"R={role}", f"T={etype}|{role}"] + [f"{role}|{x}" for x in feats]


def event_features(view: DocView, etype: str, cluster: list[tuple[Mention, float]], nth: int,
                   n_same: int, link: float = 0.0) -> list[str]:
    """Features of a merged event (its mentions' trigger probabilities, count and positions): keep or drop.
    ``nth``: how many events of its type come before it in the document; ``n_same``: events of its type;
    ``link``: the merge model's best average pair probability with another event of its type (a high one:
    likely a piece of that event, split off)."""
    ps = sorted((p for _, p in cluster), reverse=True)
    miss = 1.0
    for p in ps:
        miss *= 1.0 - p
    noisy = 1.0 - miss
    edges = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
    top = max(cluster, key=lambda x: x[1])[0]
    f = [f"noisy={max(e for e in edges if noisy >= e)}", f"max={max(e for e in edges if ps[0] >= e)}",
         f"{etype}|max={max(e for e in (0.0, 0.3, 0.5, 0.7, 0.9) if ps[0] >= e)}",
         f"n={bucket(len(cluster), (1, 2, 3, 5))}", f"{etype}|n={bucket(len(cluster), (1, 2, 3))}",
         f"type={etype}", f"nth={bucket(nth, (0, 1, 2))}", f"nsame={bucket(n_same, (1, 2, 3))}",
         f"lang={view.ctx.lang}", f"top_det={top.det}"]
    if len(ps) > 1:
        f.append(f"second={max(e for e in (0.0, 0.2, 0.4, 0.6, 0.8) if ps[1] >= e)}")
    if any(m.headline for m, _ in cluster):
        f.append("in_headline")
    first = min(m.sent for m, _ in cluster)
    f.append(f"first_sent={bucket(first, (0, 1, 2, 3, 5))}")
    ents = {e.label for m, _ in cluster for e in view.sent_ents.get(m.sent, [])}
    f += [f"has_{lab}" for lab in sorted(ents)]
    lb = int(link * 10)
    f += [f"link={bucket(lb, (0, 2, 4, 5, 6, 8))}", f"{etype}|link={bucket(lb, (0, 3, 5, 7))}"]
    return f
