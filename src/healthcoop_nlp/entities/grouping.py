"""Group the mentions of one document into entities (one cluster per real-world thing).

Mentions merge only within one label. Two clusters merge when one of these holds
(every rule is general; none names a particular entity):

- same name: the normalised texts are equal (case, accents, Arabic diacritics,
  alef / ya / ta marbuta, whitespace, typographic apostrophes and hyphens folded;
  an Arabic one-letter proclitic before the article, و/ف/ب/ك/ل + ال and لل, dropped);
- gazetteer: both surfaces have the same key in ``data/<lang>/gazetteer.tsv``;
- acronym in brackets: ``Long Form (ACR)`` written next to each other (the
  acronym need not match the initials: ``... pour l'Éducation, les Sciences et la
  Culture (ICESCO)``; Arabic acronyms are words: ``وكالة الأنباء الأردنية (بترا)``),
  or ``ACR (Long Form)`` when the initials match; not in a
  dateline (``Rabat (MAP) -``, where the bracket names a news agency);
- acronym initials: the acronym's letters are the initials of the long form's
  content words (French function words skipped: ``Organisation mondiale de la
  Santé`` -> OMS; Arabic articles skipped, spaced or dotted letters allowed:
  ``و م ع``, ``و.م.ع``); an Arabic acronym may cover the first words only;
- acronym typo: two acronyms of 5+ letters one edit apart (``IICESCO``/``ICESCO``);
- spelling: two names (not acronyms) of ``SPELLING_MIN``+ characters one edit apart
  (``Ouagadougou``/``Ouagadougu``);
- ORG shortening: a two-word name without its type word (``hôpital Lumière`` /
  ``Lumière``, capitalised) or an acronym without its place (``CICR Niger`` / ``CICR``);
  the shorter name's content words are a subset of the longer's
  with the same first word (``لجنة الروابط الاجتماعية`` / ``لجنة العليا للروابط
  الاجتماعية``), or the longer minus its first word (``الصحة العالمية`` /
  ``منظمة الصحة العالمية``); at least two content words, hyphenated compounds
  whole, and no number among the longer's extra words (``Plan II``);
- LOC state form: the longer is a state word (``state_forms`` in
  ``data/fr/titles.yaml``: royaume, république...) + ``de``/``du``/``d'`` + the
  shorter (``Maroc`` / ``Royaume du Maroc``, ``République de la Sierra Leone``; never
  ``Stade de Suisse`` / ``Suisse``), the same name without a leading state or administrative
  word and trailing state adjectives (``جمهورية بنغلاديش الشعبية`` / ``بنغلاديش``, ``محافظة X`` / ``X``),
  or a state word + the adjective of the shorter (``République algérienne`` /
  ``Algérie``, ``المملكة المغربية`` / ``المغرب``; ``demonym_suffixes`` in titles.yaml);
- PER part: every word of the shorter name is a word of the longer, hyphenated
  compounds whole (``Alami`` / ``Youssef Alami``, never ``Jacques`` /
  ``Jean-Jacques``), not only particles or numerals (``II``, ``Ben``), not the
  father's name after ``بن``/``ben`` (``X بن Y``: Y); when several persons fit, the part goes
  to the nearest full name written before it (else the first one after it).

DATE mentions merge only when their normalised texts are equal, when both
carry the same day-precision ``value`` (``YYYY-MM-DD``...), or when the words of
one all belong to the only longer DATE that holds them (``lundi`` / ``lundi 6 mai
2024``; never ``mai 2024`` / ``3 mai 2024``). An Arabic mention cut after the first
``ل`` of ``لل`` is matched with its article back (``لمغرب`` = ``المغرب``), and one-word
Arabic names match with or without the article. Different gazetteer keys keep
two names apart only for the fuzzy rules (acronym typo, spelling): the keys of
the Arabic gazetteer's long and short forms may disagree (some long forms are keyed
by ISO code, their short forms by English name), and on hcnews/train blocking every rule with them
never raised precision and cost recall.
"""

from __future__ import annotations

import functools
import re
from typing import Callable, Iterable, Sequence

from ..record import Mention
from ..text.normalize import normalize
from .lexicon import load_demonym_suffixes, load_honorifics, load_state_adjectives, load_state_forms, strip_accents

__all__ = ["group_mentions", "mention_key", "is_acronym", "acronym_letters", "initials"]

# Function words skipped when taking initials and when comparing content words.
_FR_FUNCTION = frozenset(
    "de du des d la le les l et pour à a au aux en sur sous par avec of the and for in on".split())
_AR_FUNCTION = frozenset(["في", "من", "على", "الى", "إلى", "عن", "و", "مع"])
_LOC_CONNECTORS = frozenset(["de", "du", "des", "d", "of"])
_AR_PROCLITICS = "وفبكل"
_AR_LETTERS = "\u0621-\u064A"
_AR_LETTER_RE = re.compile(f"^[{_AR_LETTERS}]+$")
_AR_ACRONYM = re.compile(f"^[{_AR_LETTERS}](?:[\\s.]+[{_AR_LETTERS}])+\\.?$")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_COMPOUND = re.compile(r"[^\W_]+(?:[-‐][^\W_]+)*", re.UNICODE)
_ROMAN = re.compile(r"^[ivxlc]+$")
_PATRONYMIC = frozenset(["بن", "ابن", "bin", "ibn", "ben", "ould", "ولد"])
# Name particles that alone never identify a person.
_NAME_PARTICLES = frozenset("el al ben bin ibn ould de da di du van von der le la abou abu".split()
                            + ["بن", "ابن", "ال", "ابو", "بنت", "ولد", "ايت"])
SPELLING_MIN = 8  # shortest key for the one-spelling-apart rule; train: 8-12 best on gold and predicted mentions
_DAY_VALUE = re.compile(r"^\d{4}-\d{2}-\d{2}")


# -- keys -----------------------------------------------------------------
def _strip_ar_proclitic(word: str) -> str:
    """An Arabic word without a one-letter proclitic attached to the article (وال -> ال, لل -> ال)."""
    if len(word) > 3 and word.startswith("لل"):
        return "ال" + word[2:]
    if len(word) > 3 and word[0] in _AR_PROCLITICS and word[1:3] == "ال":
        return word[1:]
    return word


@functools.lru_cache(maxsize=4096)
def _words(text: str) -> tuple[str, ...]:
    """Normalised words of a surface (hyphens and apostrophes split words)."""
    t = strip_accents(normalize(text)).replace("’", "'")
    return tuple(_strip_ar_proclitic(w) for w in _WORD.findall(t))


@functools.lru_cache(maxsize=4096)
def _whole_words(text: str) -> tuple[str, ...]:
    """Normalised words of a surface where a hyphenated compound stays one word
    (``Jean-Jacques``, ``communiste-ouvrier``); apostrophes still split (``d'Iran``)."""
    t = strip_accents(normalize(text)).replace("’", "'")
    return tuple(_strip_ar_proclitic(w) for w in _COMPOUND.findall(t))


@functools.lru_cache(maxsize=4096)
def mention_key(text: str) -> str:
    """The normalised form under which two surfaces are the same name."""
    if is_acronym(text):
        return "".join(acronym_letters(text))
    return " ".join(_words(text))


def _bare(word: str) -> str:
    """An Arabic word without its article (for content-word comparison)."""
    return word[2:] if len(word) > 3 and word.startswith("ال") else word


@functools.lru_cache(maxsize=4096)
def _content(text: str) -> tuple[str, ...]:
    return tuple(_bare(w) for w in _whole_words(text) if w not in _FR_FUNCTION and w not in _AR_FUNCTION)


# -- acronyms --------------------------------------------------------------
@functools.lru_cache(maxsize=4096)
def is_acronym(text: str) -> bool:
    """An acronym: 2+ capital Latin letters (dots allowed), or spaced/dotted Arabic letters."""
    t = text.strip()
    if _AR_ACRONYM.match(t):
        return True
    letters = t.replace(".", "").replace("&", "")
    return len(letters) >= 2 and " " not in letters and letters.isupper() and letters.isalpha()


def acronym_letters(text: str) -> list[str]:
    """The letters of an acronym, lower case, Arabic letters folded."""
    return [ch for ch in strip_accents(normalize(text)) if ch.isalpha()]


def initials(text: str) -> list[str]:
    """First letters of the content words of a long form (Arabic article dropped)."""
    out = []
    for w in _words(text):
        if w in _FR_FUNCTION or w in _AR_FUNCTION:
            continue
        w = _bare(w)
        if w and w[0].isalpha():
            out.append(w[0])
    return out


def _acronym_of(acr: str, long: str) -> bool:
    if is_acronym(long) or len(_words(long)) < 2:
        return False
    ini = initials(long)
    if not is_acronym(acr):
        # An Arabic acronym written as one word (واج = وكالة الأنباء الجزائرية): exact initials only.
        w = _words(acr)
        return (len(w) == 1 and _AR_LETTER_RE.match(w[0]) is not None and 2 <= len(w[0]) <= 4
                and len(ini) == len(w[0]) and list(w[0]) == ini)
    letters = acronym_letters(acr)
    if letters == ini:
        return True
    arabic = bool(_AR_ACRONYM.match(acr.strip()))
    # Arabic agency acronyms often stop before a last word (و م ع = وكالة المغرب العربي [للأنباء]).
    return arabic and len(letters) >= 3 and len(ini) - len(letters) <= 1 and ini[:len(letters)] == letters


def _one_edit(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    if len(a) > len(b):
        a, b = b, a
    return any(b[:i] + b[i + 1:] == a for i in range(len(b)))


# -- pair rules --------------------------------------------------------------
def _org_short_form(short: str, long: str) -> bool:
    s, l_ = _content(short), _content(long)
    if len(s) == 1 and len(l_) == 2 and not s[0][0].isdigit():
        # ``hôpital Lumière`` / ``Lumière``, ``CICR Niger`` / ``CICR``: the name without its type
        # word, or an acronym without its place
        return (s[0] == l_[1] and short[:1].isupper()) or (s[0] == l_[0] and is_acronym(short))
    if len(s) < 2 or len(s) >= len(l_):
        return False
    extra = set(l_) - set(s)
    if any(w[0].isdigit() or _ROMAN.match(w) for w in extra):
        return False  # a numbered edition or unit is another thing (``Plan national II``)
    if s[0] == l_[0] and set(s) <= set(l_):
        return True
    return s == l_[1:]


def _loc_tail(short: str, long: str, state_forms: frozenset[str]) -> bool:
    """``Royaume du Maroc`` / ``Maroc``: the long form is a state word + connector + the short name."""
    s, l_ = _words(short), _words(long)
    n = len(s)
    if not (0 < n < len(l_) - 1 and l_[-n:] == s):
        return False
    head = list(l_[:-n])
    if head[-1] in ("la", "l"):   # République de la Sierra Leone
        head.pop()
    return len(head) > 1 and head[-1] in _LOC_CONNECTORS and " ".join(head[:-1]) in state_forms


def _state_adjective(short: str, long: str, state_forms: frozenset[str], suffixes: frozenset[str]) -> bool:
    """``République algérienne`` / ``Algérie``, ``المملكة المغربية`` / ``المغرب``: the long form is a
    state word + an adjective made of the short name's stem + a demonym suffix (more words may follow)."""
    s = [_bare(w) for w in _words(short)]
    l_ = [_bare(w) for w in _words(long)]
    if len(s) != 1 or len(l_) < 2:
        return False
    for n in (1, 2, 3):
        if n < len(l_) and " ".join(l_[:n]) in state_forms:
            adj, name = l_[n], s[0]
            stems = {name, name[:-1], name[:-2]} if len(name) > 4 else {name, name[:-1]} if len(name) == 4 else {name}
            if any(len(st) >= 3 and adj.startswith(st) and adj[len(st):] in suffixes for st in stems):
                return True
    return False


def _loc_core(name: str, state_forms: frozenset[str], adjectives: frozenset[str]) -> tuple[str, ...]:
    """A place name without a leading state word and trailing state adjectives
    (``جمهورية بنغلاديش الشعبية`` -> ``بنغلاديش``; ``دولة الإمارات العربية المتحدة`` -> ``امارات``)."""
    w = [_bare(x) for x in _words(name)]
    for n in (3, 2, 1):
        if n < len(w) and " ".join(w[:n]) in state_forms:
            w = w[n:]
            break
    while len(w) > 1 and w[-1] in adjectives:
        w = w[:-1]
    return tuple(w)


_DATE_FILLER = frozenset("ce cet cette le la l en du au de a يوم".split())


def _date_words(text: str) -> tuple[str, ...]:
    return tuple(_bare(w) for w in _words(text) if w not in _DATE_FILLER)


def _date_part(short: str, long: str) -> bool:
    """Every word of the shorter DATE is a word of the longer one; it is more than a bare number
    (``2024`` is not ``19 août 2024``), and a shorter one with a number never gains a day number
    (``mai 2024`` is not ``3 mai 2024``; ``4 août`` is ``mardi 4 août 2020``)."""
    s, l_ = _date_words(short), _date_words(long)
    if not (0 < len(s) <= len(l_) and set(s) <= set(l_)) or all(w.isdigit() for w in s):
        return False
    extra_days = [w for w in set(l_) - set(s) if w.isdigit() and int(w) <= 31]
    return not (extra_days and any(w.isdigit() for w in s))


@functools.lru_cache(maxsize=None)
def _honorific_words() -> frozenset[str]:
    """One-word honorifics of every language's titles.yaml (``M``, ``MM``, ``Dr``, ``السيد``), in the
    form of ``_whole_words``: a person's name never starts with one."""
    return frozenset(w for x in load_honorifics() for w in [_whole_words(x)] if len(w) == 1 for w in w)


def _name_words(name: str) -> tuple[str, ...]:
    """The words of a person's name without the honorifics that a NER span kept at its start (``MM Benali``)."""
    w = _whole_words(name)
    hon = _honorific_words()
    k = 0
    while k < len(w) - 1 and w[k] in hon:
        k += 1
    return w[k:]


def _per_part(short: str, long: str) -> bool:
    s = [w for w in _name_words(short) if len(w) > 1]
    l_ = _name_words(long)
    if not any(w not in _NAME_PARTICLES and not _ROMAN.match(w) for w in s):
        return False
    if not (s and len(s) < len(l_) and set(s) <= set(l_)):
        return False
    # ``X بن Y Z``: a part that starts right after the patronymic particle names the father
    # (``عبد العزيز آل سعود`` in ``طلال بن عبد العزيز آل سعود``), not this person.
    p = next((i for i, w in enumerate(l_) if w in _PATRONYMIC), None)
    return p is None or min(l_.index(w) for w in s) != p + 1


def _surface(text: str, m: Mention) -> str:
    """The mention's text for matching: an Arabic mention cut after the first ل of the
    contraction لل + noun (``ل[لمغرب]``, ANNOTATION.md section 2) gets its article back (المغرب)."""
    t = m.text
    if m.start > 0 and text[m.start - 1] == "ل" and t.startswith("ل") and not t.startswith("ال") \
            and _AR_LETTER_RE.match(t.split()[0] if t.split() else "") is not None:
        return "ا" + t
    return t


class _Groups:
    def __init__(self, mentions: Sequence[tuple[str, Mention]]):
        self.mentions = mentions
        self.parent = list(range(len(mentions)))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> bool:
        a, b = self.find(i), self.find(j)
        if a == b:
            return True
        if self.mentions[i][0] != self.mentions[j][0]:
            return False
        if b < a:
            a, b = b, a
        self.parent[b] = a
        return True

    def clusters(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for i in range(len(self.mentions)):
            out.setdefault(self.find(i), []).append(i)
        return out


def group_mentions(text: str, mentions: Sequence[tuple[str, Mention]],
                   key_of: Callable[[str], str | None] | None = None,
                   state_forms: Iterable[str] | None = None) -> list[list[int]]:
    """Clusters of mention indices, each sorted by text position, clusters in order of first mention.

    ``mentions`` are (label, mention) pairs over ``text``; ``key_of`` maps a
    surface to a gazetteer key (or None) and may be omitted; ``state_forms``
    are the words that make a country's official name (default: the
    ``state_forms`` of every language's ``titles.yaml``).
    """
    key_of = key_of or (lambda s: None)
    state_forms = frozenset(" ".join(_bare(x) for x in _words(w))
                            for w in (load_state_forms() if state_forms is None else state_forms))
    suffixes = frozenset(normalize(x) for x in load_demonym_suffixes())
    adjectives = frozenset(_bare(normalize(x)) for x in load_state_adjectives())
    n = len(mentions)
    texts = [_surface(text, m) for _, m in mentions]
    g = _Groups(mentions)
    order = sorted(range(n), key=lambda i: (mentions[i][1].start, mentions[i][1].end))
    label = [lab for lab, _ in mentions]
    keys = [mention_key(t) for t in texts]

    # One representative per distinct (label, surface): the pair rules below depend on the text only.
    reps: dict[tuple[str, str], int] = {}
    for i in order:
        reps.setdefault((label[i], texts[i]), i)
        g.union(reps[(label[i], texts[i])], i)

    # DATE: same normalised text or same day value, nothing else.
    by_key: dict[tuple[str, str], int] = {}
    for i in order:
        if label[i] == "DATE":
            first = by_key.setdefault(("k", keys[i]), i)
            g.union(first, i)
            v = mentions[i][1].value
            if v and _DAY_VALUE.match(v):
                g.union(by_key.setdefault(("v", v), i), i)

    # DATE: a shorter expression whose words all belong to one longer one (``lundi`` / ``lundi 19
    # août 2024``, ``اليوم`` / ``اليوم الخميس``), when that longer expression is the only candidate.
    dates = [i for (lab, _), i in reps.items() if lab == "DATE"]
    for x in dates:
        cands = {g.find(y) for y in dates if y != x and _date_part(texts[x], texts[y])}
        if len(cands) == 1:
            g.union(x, cands.pop())

    # Acronym next to its long form in brackets.
    for a, b in zip(order, order[1:]):
        if label[a] != label[b] or label[a] == "DATE":
            continue
        ma, mb = mentions[a][1], mentions[b][1]
        between = text[ma.end:mb.start]
        after = text[mb.end:mb.end + 3].lstrip()
        # ``City, Country (AGENCY) -`` is a dateline naming a news agency, not an acronym
        dateline = re.match(r"\s*[)\]]\s*[-–—:]", text[mb.end:mb.end + 8]) is not None
        if re.fullmatch(r"\s*[(\[]\s*", between) and after[:1] in (")", "]") and not dateline:
            one_ar_word = len(_words(mb.text)) == 1 and _AR_LETTER_RE.match(_words(mb.text)[0]) is not None
            if (is_acronym(mb.text) or (one_ar_word and len(_words(ma.text)) >= 2)) and not is_acronym(ma.text):
                g.union(a, b)  # Long Form (ACR); Arabic: الاسم الكامل (بترا)
            elif is_acronym(ma.text) and _acronym_of(ma.text, mb.text):
                g.union(a, b)  # ACR (Long Form)

    others = [i for (lab, _), i in reps.items() if lab != "DATE"]
    # Same normalised name; same gazetteer key; Arabic: same name but for a one-letter proclitic.
    seen: dict[tuple[str, str], int] = {}
    for i in others:
        for k in ("n:" + keys[i], "g:" + (key_of(texts[i]) or "")):
            if k != "g:":
                g.union(seen.setdefault((label[i], k), i), i)
    for i in others:
        k = keys[i]
        if len(k) > 2 and k[0] in _AR_PROCLITICS and (label[i], "n:" + k[1:]) in seen:
            g.union(seen[(label[i], "n:" + k[1:])], i)
        raw = "n:" + mention_key(mentions[i][1].text)
        if texts[i] != mentions[i][1].text and (label[i], raw) in seen:
            g.union(seen[(label[i], raw)], i)  # ل[لبنان]: the ل of للبنان was a preposition, not an article
    # Arabic one-word names with and without the article (اليونيسف / يونيسف).
    bare: dict[tuple[str, str], int] = {}
    for i in others:
        w = _words(texts[i])
        if len(w) == 1 and _AR_LETTER_RE.match(w[0]) and len(_bare(w[0])) >= 3:
            g.union(bare.setdefault((label[i], _bare(w[0])), i), i)

    gaz = [key_of(t) for t in texts]

    def known_apart(x: int, y: int) -> bool:
        """The gazetteer names both and tells them apart (only the fuzzy rules heed it)."""
        return bool(gaz[x] and gaz[y] and gaz[x] != gaz[y])

    # Acronyms and short forms (between distinct surfaces of one label).
    for x in others:
        for y in others:
            if x == y or label[x] != label[y] or g.find(x) == g.find(y):
                continue
            tx, ty = texts[x], texts[y]
            if _acronym_of(tx, ty):
                g.union(x, y)
            elif is_acronym(tx) and is_acronym(ty) and len(keys[x]) >= 5 and len(keys[y]) >= 5 \
                    and _one_edit(keys[x], keys[y]) and not known_apart(x, y):
                g.union(x, y)
            elif not is_acronym(tx) and not is_acronym(ty) and min(len(keys[x]), len(keys[y])) >= SPELLING_MIN \
                    and _one_edit(keys[x], keys[y]) and not known_apart(x, y):
                g.union(x, y)  # one spelling apart (Ouagadougou / Ouagadougu)
            elif label[x] == "ORG" and len(ty) > len(tx) and _org_short_form(tx, ty):
                g.union(x, y)
            elif label[x] == "LOC" and len(ty) > len(tx) and (
                    _loc_tail(tx, ty, state_forms) or _state_adjective(tx, ty, state_forms, suffixes)
                    or _loc_core(tx, state_forms, adjectives) == _loc_core(ty, state_forms, adjectives)):
                g.union(x, y)

    # Person name parts: attach each partial cluster to one full-name cluster.
    clusters = g.clusters()
    per_roots = [r for r in clusters if label[r] == "PER"]
    longest = {r: max((texts[i] for i in clusters[r]), key=lambda t: (len(_words(t)), len(t))) for r in per_roots}
    for r in sorted(per_roots, key=lambda r: len(_words(longest[r]))):
        cands = [q for q in per_roots if q != r and g.find(q) == q and _per_part(longest[r], longest[q])]
        if g.find(r) != r or not cands:
            continue
        members = g.clusters()
        first = min(mentions[i][1].start for i in members[r])

        def distance(q: int) -> tuple[int, int]:
            starts = [mentions[i][1].start for i in members[q]]
            before = [s for s in starts if s < first]
            return (0, first - max(before)) if before else (1, min(starts))

        g.union(r, min(cands, key=distance))

    out = [sorted(ms, key=lambda i: (mentions[i][1].start, mentions[i][1].end)) for ms in g.clusters().values()]
    out.sort(key=lambda ms: (mentions[ms[0]][1].start, mentions[ms[0]][1].end))
    return out
