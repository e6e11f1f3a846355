"""Job titles of person mentions: the apposition written next to a name.

A title is a phrase that starts at a title head (``ministre``, ``directrice``,
``وزير``...; see ``data/<lang>/titles.yaml``) and is written right before the
name (``le ministre de la Santé, Youssef Alami``, ``وزير الصحة يوسف العلمي``)
or right after it (``Youssef Alami, ministre de la Santé,``). Honorifics
(``M.``, ``Dr``, ``Sa Majesté``, ``السيد``), articles and the commas around the
apposition are outside the title. A title may contain ORG and LOC mentions
(``directrice régionale de l'OMS pour le Moyen-Orient``) and an acronym in
brackets, never another person. The text of a title is a slice of the raw text.

Where a title starts and ends (the gold's convention; each rule was kept only
when it raised title token F1 on hcnews/train, see ``bench/dev.py``):
- before a name: the honorifics and ranks (``le colonel``, ``المهندس``),
  articles, commas, quotes and a slash after an honorific next to the name are
  skipped; no title ends on a preposition (``remis à Son Excellence X``); the
  title ends there and starts at the leftmost head reached by walking back
  through the phrase, or at a modifier just before it (``la nouvelle
  représentante``); the walk stops at a sentence mark, a line break, a number,
  another person, a DATE, a stop word (verbs, relative pronouns, ``avec``,
  ``مع``...; French stop words keep their accents: ``à`` is not ``a``), a
  finite verb when a parse is at hand, a comma (unless ``de``/``chargé``/a head
  follows it), ``et``/``و`` + article, head or honorific (a second person;
  French ``et`` + head goes on: ``ministre de A et vice-président de B``), an
  Arabic head with و/ف/ب attached (ووزير، بالمدير: the title starts after it;
  لوزير is a genitive and the walk goes on), or, in Arabic, a definite word
  followed by a bare one (``الوزير | رسالة الرئيس``); fixed phrases
  (``par intérim``, ``المشرف على``) and a dash or hyphen between two words never
  end a title; a weak head (``السفير``) right before the name after a longer
  title is left out;
- after a name: an optional quote, comma or dash and article, then a head (or a
  modifier and a head), then the phrase up to the same kind of boundary;
  ``et``/``و`` + head carries one person's second function on; honorifics,
  articles, function words and courtesy adjectives (``الشقيقة``) left at the
  end are trimmed; a phrase that runs without a comma into the next name is
  that name's title (``X الرئيس الأميركي Y``), or, when a conjunction stands
  between, the part before the last conjunction is X's;
- a title before a name wins over one after it, unless it is a weak head alone
  or with one word (``السفير X، سفير المغرب بالقاهرة``, ``son homologue malien,
  Dr X, ministre de ...``); a stretch of text is the title of one person only,
  except a plural title before a list of names (``les présidents X et Y``),
  which is each name's title;
- a French head followed by ``le``/``la``/``les`` is a participle, not a head
  (``représentant le directeur``).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Iterable, Sequence

from ..record import Mention
from ..text.normalize import normalize
from ..text.tokenize import Token, tokenize
from .lexicon import TitleLexicon, load_lexicon, match_key

__all__ = ["TitleSpan", "find_titles", "title_lang"]

# A title phrase never runs longer than this many tokens on either side of a name.
MAX_TITLE_TOKENS = 40
_SENTENCE_PUNCT = frozenset(".!?;:؟؛…«»“”\"–—|•·")
_COMMAS = frozenset(",،")
_QUOTES = frozenset('"«»“”„')
_AR_PROCLITICS = ("و", "ف")
# One-letter Arabic proclitics that may be attached to a title head: و/ف/ب start another phrase
# (ووزير، بالمدير), ل makes the head a genitive inside a longer title (المستشار الأول لوزير الصحة).
_AR_HEAD_PROCLITICS = ("و", "ف", "ب", "ل")


@dataclass(frozen=True)
class TitleSpan:
    """A job title: ``text == doc_text[start:end]``."""

    start: int
    end: int
    text: str

    def overlaps(self, other: "TitleSpan") -> bool:
        return self.start < other.end and other.start < self.end


def title_lang(lang: str, text: str) -> str:
    """The lexicon to use: ``lang`` when it has one, else the script's majority (ar/fr)."""
    if lang in ("fr", "ar"):
        return lang
    arabic = sum(1 for ch in text if "\u0600" <= ch <= "\u06FF")
    latin = sum(1 for ch in text if ch.isalpha() and ch < "\u0250")
    return "ar" if arabic > latin else "fr"


class _Doc:
    """Tokens of one document with the mention that owns each token."""

    def __init__(self, text: str, mentions: Sequence[tuple[str, Mention]], lex: TitleLexicon,
                 finite_verbs: frozenset[int] = frozenset()):
        self.text = text
        self.lex = lex
        self.finite_verbs = finite_verbs
        self.tokens: list[Token] = tokenize(text)
        self.keys = [match_key(t.text) for t in self.tokens]
        self.owner = [-1] * len(self.tokens)
        self.labels = [label for label, _ in mentions]
        self.span: dict[int, tuple[int, int]] = {}  # mention index -> (first token, last token)
        self.inner: set[int] = set()  # tokens of fixed phrases that never end a title (par intérim, a.i.)
        for i in range(len(self.tokens)):
            for entry in lex.inner_phrases:
                if tuple(self.keys[i:i + len(entry)]) == entry:
                    self.inner.update(range(i, i + len(entry)))
        starts = [t.start for t in self.tokens]
        for mi, (_, m) in enumerate(mentions):
            i = bisect.bisect_left(starts, m.start)
            # a token that begins before the mention but overlaps it (clitic attached) belongs to it
            if i > 0 and self.tokens[i - 1].end > m.start:
                i -= 1
            first = last = None
            while i < len(self.tokens) and self.tokens[i].start < m.end:
                if self.owner[i] == -1:
                    self.owner[i] = mi
                first = i if first is None else first
                last = i
                i += 1
            if first is not None:
                self.span[mi] = (first, last)

    # -- token tests -------------------------------------------------------
    def newline_between(self, i: int, j: int) -> bool:
        """A line break between token i and the following token j."""
        return "\n" in self.text[self.tokens[i].end:self.tokens[j].start]

    def owner_label(self, i: int) -> str | None:
        o = self.owner[i]
        return None if o == -1 else self.labels[o]

    def seq_match(self, i: int, entries: frozenset[tuple[str, ...]], maxlen: int) -> int:
        """Length of the longest entry that starts at token i (0 if none)."""
        for n in range(min(maxlen, len(self.tokens) - i), 0, -1):
            if tuple(self.keys[i:i + n]) in entries and all(self.owner[k] == -1 for k in range(i, i + n)):
                return n
        return 0

    def head_at(self, i: int) -> int:
        n = self.seq_match(i, self.lex.heads, self.lex.max_head_len)
        if n and self.lex.lang != "ar" and i + n < len(self.tokens) \
                and self.keys[i + n] in ("le", "la", "les"):
            return 0  # ``représentant le directeur``: a participle, not a title head
        return n

    def honorific_ending_at(self, j: int) -> int:
        """Length of the longest honorific that ends at token j (0 if none)."""
        for n in range(min(self.lex.max_honorific_len, j + 1), 0, -1):
            i = j - n + 1
            if tuple(self.keys[i:j + 1]) in self.lex.honorifics and all(
                    self.owner[k] == -1 for k in range(i, j + 1)):
                return n
        return 0

    def proclitic_head(self, i: int) -> str:
        """The one-letter proclitic (و، ف، ب، ل) when token i is a title head with it attached
        (وممثل، ووزير، بالمدير، لوزير); "" otherwise."""
        k = self.keys[i]
        if self.lex.lang != "ar" or self.owner[i] != -1 or len(k) < 3 or k[0] not in _AR_HEAD_PROCLITICS:
            return ""
        first = match_key(k[1:])
        for h in self.lex.heads:
            n = len(h)
            if h[0] == first and tuple(self.keys[i + 1:i + n]) == h[1:]:
                return k[0]
        return ""

    def is_article(self, i: int) -> bool:
        return self.owner[i] == -1 and self.keys[i] in self.lex.articles

    def is_comma(self, i: int) -> bool:
        return self.tokens[i].text in _COMMAS

    def is_stop(self, i: int) -> bool:
        k = self.keys[i]
        if self.lex.lang != "ar":
            # accents matter here: ``à`` is not the verb ``a``, ``où`` is not ``ou``
            w = normalize(self.tokens[i].text).replace("’", "'")
            return w in self.lex.stops_exact or w.split("-")[0] in self.lex.stops_exact
        if k in self.lex.stops:
            return True
        return self.lex.lang == "ar" and len(k) > 2 and k[0] in _AR_PROCLITICS and match_key(k[1:]) in self.lex.stops

    def continues_after_comma(self, i: int) -> bool:
        """The comma at token i is followed by words that carry the title on, or by another
        title of the same person (``wali de la région X, gouverneur de la préfecture Y``)."""
        if i + 1 < len(self.tokens) and self.owner[i + 1] == -1 and self.head_at(i + 1):
            return True
        for entry in self.lex.continuations:
            n = len(entry)
            if i + n < len(self.tokens) and tuple(self.keys[i + 1:i + 1 + n]) == entry:
                # ``..., des représentants du ...``: a plural head after it opens another phrase
                k = i + 1 + n
                while k < len(self.tokens) and self.is_article(k):
                    k += 1
                return not (k < len(self.tokens) and self.owner[k] == -1 and self.head_at(k))
        return False

    def conj_opens_new_phrase(self, i: int) -> bool:
        """Token i is a conjunction followed by an article, a title head or an honorific (a second
        person); in Arabic the conjunction و is attached to that word (ووزير، والسيد)."""
        k = self.keys[i]
        if self.lex.lang == "ar" and len(k) > 2 and k[0] == "و":
            rest = match_key(k[1:])
            return any(h[0] == rest for h in self.lex.heads) or any(h[0] == rest for h in self.lex.honorifics)
        if k not in self.lex.conjunctions or i + 1 >= len(self.tokens):
            return False
        return self.is_article(i + 1) or self.head_at(i + 1) > 0

    def is_boundary(self, i: int) -> bool:
        """Token i (outside any mention) cannot be inside a title."""
        t = self.tokens[i].text
        if i in self.inner:
            return False
        if t in "-–" and 0 < i < len(self.tokens) - 1 and self.tokens[i - 1].end == self.tokens[i].start \
                and self.tokens[i].end == self.tokens[i + 1].start:
            return False  # ``directrice–pays``: a dash between two words joins them
        if t == "." and i > 0 and self.tokens[i - 1].end == self.tokens[i].start and (
                (len(self.keys[i - 1]) == 1 and self.keys[i - 1].isalpha()) or (self.keys[i - 1], ".") in self.lex.honorifics):
            return False  # the dot of an initial or an abbreviated honorific (M., Dr.)
        if t == "-" and i > 0 and self.tokens[i - 1].end == self.tokens[i].start:
            return False  # a hyphen attached to the word before it (``الطبي- الاجتماعي``) joins two words
        if t in _SENTENCE_PUNCT or t == "-" or t[0].isdigit():
            return True
        if self.is_comma(i):
            return not self.continues_after_comma(i)
        verb = (self.tokens[i].start in self.finite_verbs and not self.head_at(i) and not self.is_modifier(i)
                and not any(k >= 0 and self.head_at(k) > i - k for k in (i - 1, i - 2)))
        return self.is_stop(i) or verb or self.conj_opens_new_phrase(i)  # a parser may take a head for a verb

    def bracket_end(self, i: int) -> int | None:
        """If token i is "(" opening a bracket that holds only mentions, the index of its ")"."""
        k = i + 1
        while k < len(self.tokens) and self.owner[k] != -1 and self.labels[self.owner[k]] != "PER":
            k += 1
        if k > i + 1 and k < len(self.tokens) and self.tokens[k].text in ")]":
            return k
        return None

    def bracket_start(self, j: int) -> int | None:
        """If token j is ")" closing a bracket that holds only mentions, the index of its "("."""
        k = j - 1
        while k >= 0 and self.owner[k] != -1 and self.labels[self.owner[k]] != "PER":
            k -= 1
        if k < j - 1 and k >= 0 and self.tokens[k].text in "([":
            return k
        return None

    # -- titles --------------------------------------------------------------
    def span_of(self, first: int, last: int, skip: int = 0) -> TitleSpan:
        s, e = self.tokens[first].start + skip, self.tokens[last].end
        return TitleSpan(s, e, self.text[s:e])

    def trim_end(self, first: int, last: int) -> int:
        """The last token of a title once honorifics, articles and function words are cut off its end."""
        while last > first and self.owner[last] == -1:
            n = self.honorific_ending_at(last)
            if n and last - n >= first:
                last -= n
            elif (self.keys[last] in self.lex.dangling or self.is_article(last)
                  or self.tokens[last].text in _COMMAS):
                last -= 1
            else:
                break
        return last

    def before(self, mi: int) -> TitleSpan | None:
        """The title written right before mention ``mi``."""
        if mi not in self.span:
            return None
        j = self.span[mi][0] - 1
        # skip honorifics, articles and commas between the title and the name
        while j >= 0 and not self.newline_between(j, j + 1) and self.owner[j] == -1:
            n = self.honorific_ending_at(j)
            if n:
                j -= n
            elif self.is_article(j) or self.is_comma(j) or self.tokens[j].text in _QUOTES or (
                    self.tokens[j].text == "/" and j > 0 and self.honorific_ending_at(j - 1)):
                j -= 1  # ``السيد/ X``
            else:
                break
        if j < 0 or self.newline_between(j, j + 1) or self.owner_label(j) in ("PER", "DATE"):
            return None
        end = j
        if self.keys[end] in self.lex.dangling and not self.is_comma(end):
            return None  # ``remis à Son Excellence X``: a title never ends on a preposition
        leftmost, skip = None, 0
        k, steps = end, 0
        while k >= 0 and steps < MAX_TITLE_TOKENS:
            steps += 1
            if self.owner[k] != -1:
                if self.labels[self.owner[k]] in ("PER", "DATE"):
                    break
                nk = self.span[self.owner[k]][0]
            elif self.tokens[k].text in ")]":
                b = self.bracket_start(k)
                if b is None:
                    break
                nk = b
            elif self.lex.lang == "ar" and k < end and self.ar_definite(k) and self.owner[k + 1] == -1 \
                    and self.head_at(k) < 2 and not self.ar_continues(k + 1):
                break  # ``الوزير | رسالة الرئيس``: a bare word never follows a definite one inside a title
            elif self.proclitic_head(k):
                leftmost, skip = k, 1  # وممثل، بالمدير ...: the title starts after the proclitic
                if self.proclitic_head(k) != "ل":
                    break  # (going on past و + head, as in نائب الرئيس ووزير الصحة X: train +0.002, dev -0.004)
                nk = k  # لوزير الصحة: a genitive inside a longer title (المستشار الأول لوزير الصحة)
            elif self.lex.lang != "ar" and self.conj_head(k) and leftmost is not None:
                nk = k  # ``ministre de A et vice-président de B, X``: one person's two functions
            elif self.is_boundary(k):
                break
            else:
                if self.head_at(k):
                    leftmost, skip = k, 0
                nk = k
            if nk == 0 or self.newline_between(nk - 1, nk):
                break
            k = nk - 1
        if leftmost is None:
            return None
        w = self.weak_head_ending_at(end)
        if w and end - w >= leftmost:
            end -= w  # ``نائب الوزير السفير X``: a rank after a title is not part of it
        while not skip and leftmost > 0 and self.is_modifier(leftmost - 1) \
                and not self.newline_between(leftmost - 1, leftmost):
            leftmost -= 1  # ``la nouvelle représentante de ...``
        return self.span_of(leftmost, self.trim_end(leftmost, end), skip)

    def weak_head_ending_at(self, j: int) -> int:
        """Length of a weak head (a head used as a rank: ``السفير``, ``الأمير``) ending at token j, else 0."""
        for h in self.lex.weak_heads:
            i = j - len(h) + 1
            if i >= 0 and tuple(self.keys[i:j + 1]) == h and all(self.owner[k] == -1 for k in range(i, j + 1)):
                return len(h)
        return 0

    def is_weak(self, t: TitleSpan) -> bool:
        """The title is a weak head, alone or with one word (``السفير``, ``homologue malien``): a title
        written after the name wins over it."""
        keys = tuple(match_key(x.text) for x in tokenize(t.text))
        return keys in self.lex.weak_heads or (len(keys) == 2 and keys[:1] in self.lex.weak_heads)

    def plural_title(self, t: TitleSpan) -> bool:
        """The title starts with a plural head (``présidents``, ``مستشاري``; ``plural_heads`` in titles.yaml)."""
        keys = [match_key(x.text) for x in tokenize(t.text)]
        keys = [k for k in keys if k not in self.lex.articles]
        return bool(keys) and keys[0] in self.lex.plural_heads

    def list_link(self, start: int, end: int) -> bool:
        """``text[start:end]`` between two names only joins them into a list (``et``, ``و``, a comma)."""
        gap = self.text[start:end].strip()
        if gap in (",", "،", "") or gap in self.lex.conjunctions:
            return True
        words = gap.replace("،", " ").replace(",", " ").split()
        if self.lex.lang == "ar":
            return gap in ("و", "، و", "،و") or (len(words) == 0)
        return all(match_key(w) in self.lex.conjunctions for w in words) and len(words) <= 1

    def is_modifier(self, i: int) -> bool:
        """Token i is a word that may open a title before its head (``nouvelle``, ``ancien``)."""
        return self.owner[i] == -1 and self.keys[i] in self.lex.modifiers

    def after(self, mi: int) -> TitleSpan | None:
        """The title written right after mention ``mi``."""
        if mi not in self.span:
            return None
        n = len(self.tokens)
        j = self.span[mi][1] + 1
        if j < n and self.tokens[j].text in _QUOTES and not self.newline_between(j - 1, j):
            j += 1  # ``«X» السفير ...``
        if j < n and (self.is_comma(j) or self.tokens[j].text in ("-", "–")) and not self.newline_between(j - 1, j):
            j += 1  # ``X – وزير الصحة``
        while j < n and self.is_article(j) and not self.newline_between(j - 1, j):
            j += 1
        if j >= n or self.newline_between(j - 1, j) or self.owner[j] != -1:
            return None
        h = self.head_at(j)
        if not h and self.is_modifier(j) and j + 1 < n and not self.newline_between(j, j + 1):
            h = self.head_at(j + 1) and self.head_at(j + 1) + 1
        if not h:
            return None
        end = j + h - 1
        definite = self.ar_definite(end)
        k, steps = end + 1, 0
        while k < n and steps < MAX_TITLE_TOKENS and not self.newline_between(k - 1, k):
            steps += 1
            if self.owner[k] != -1:
                if self.labels[self.owner[k]] == "DATE":
                    break
                if self.labels[self.owner[k]] == "PER":
                    if not any(self.is_comma(x) for x in range(self.trim_end(j, end) + 1, k)):
                        conj = [x for x in range(j + h, k) if self.owner[x] == -1 and self.is_conj(x)]
                        if conj and conj[-1] - 1 >= j:
                            # ``X, A et de Son Excellence M. Y``: what follows the last conjunction is Y's
                            return self.span_of(j, self.trim_end(j, conj[-1] - 1))
                        return None  # ``X الرئيس الأميركي Y``: the title written right before Y is Y's
                    break
                end = self.span[self.owner[k]][1]
                definite = True
            elif self.tokens[k].text in "([":
                b = self.bracket_end(k)
                if b is None:
                    break
                end = b
            elif self.conj_head(k):
                end = k  # ``X, ministre de A et directeur de B``: one person's two functions
                definite = False
            elif k in self.inner:
                end = k  # ``المشرف على``, ``par intérim``
                definite = False
            elif self.is_boundary(k):
                break
            elif self.lex.lang == "ar" and definite and not self.ar_continues(k):
                break  # ``أمير دولة الكويت الشقيقة | بسلامة عودته``: a bare word after a definite one
            else:
                end = k
                definite = self.ar_definite(k)
            k = end + 1
        return self.span_of(j, self.trim_end(j, end))

    def is_conj(self, i: int) -> bool:
        """Token i is a conjunction (``et``, ``و``) standing alone or attached to a head (ووزير)."""
        return self.keys[i] in self.lex.conjunctions or (self.lex.lang == "ar" and self.proclitic_head(i) == "و")

    def conj_head(self, i: int) -> bool:
        """Token i is a conjunction followed directly by a title head, no article (``et directeur``,
        ``ووزير``): the same person's next function."""
        if self.owner[i] != -1:
            return False
        if self.lex.lang == "ar":
            return self.proclitic_head(i) == "و"
        return (self.keys[i] in self.lex.conjunctions and i + 1 < len(self.tokens)
                and not self.newline_between(i, i + 1) and self.head_at(i + 1) > 0)

    def ar_definite(self, i: int) -> bool:
        """An Arabic word with the article, bare or after a one-letter proclitic (الصحة، والحماية، للصحة)."""
        w = normalize(self.tokens[i].text)
        return w.startswith("ال") or w.startswith("لل") or (len(w) > 3 and w[0] in "وفبكل" and w[1:3] == "ال")

    def ar_continues(self, i: int) -> bool:
        """After a definite word, an Arabic title goes on only with another definite word, a head,
        a linking preposition (في، لدى) or a ل-genitive (لمنظمة): a bare noun or verb starts the clause."""
        w = normalize(self.tokens[i].text)
        if w == "-" and self.tokens[i - 1].end == self.tokens[i].start:
            return True  # ``الطبي- الاجتماعي``
        return (self.ar_definite(i) or self.head_at(i) > 0 or w in self.lex.links
                or (len(w) > 3 and w[0] == "ل") or self.ar_coordinated(i) or self.ar_bi_construct(i))

    def ar_bi_construct(self, i: int) -> bool:
        """Token i is ب + a noun that heads a construct (بوزارة الصحة): the next word is definite or a
        mention; ``بسلامة عودته`` is not."""
        w = normalize(self.tokens[i].text)
        return (len(w) > 3 and w[0] == "ب" and i + 1 < len(self.tokens)
                and (self.owner[i + 1] != -1 or self.ar_definite(i + 1)))

    def ar_coordinated(self, i: int) -> bool:
        """Token i is ``و`` alone or a word with و attached followed by a definite word
        (وزير الصحة | و السكان، | ورعاية الأسرة): a coordinated complement of the title."""
        w = normalize(self.tokens[i].text)
        if w == "و":
            return True
        return (len(w) > 2 and w[0] == "و" and not self.proclitic_head(i) and i + 1 < len(self.tokens)
                and self.owner[i + 1] == -1 and self.ar_definite(i + 1))


def find_titles(text: str, mentions: Sequence[tuple[str, Mention]], lang: str,
                finite_verbs: Iterable[int] = ()) -> list[TitleSpan | None]:
    """The job title next to each PER mention (None for other labels and untitled names).

    ``mentions`` are (label, mention) pairs over ``text``, flat. A title written
    before a name wins over one written after it; a stretch of text is the
    title of one person only (``X, ministre de la Santé, Y``: X's).
    ``finite_verbs`` are the start offsets of finite verbs when a parser has
    found them (e.g. spaCy's ``VerbForm=Fin``); a title never crosses one.
    """
    lex = load_lexicon(title_lang(lang, text))
    doc = _Doc(text, mentions, lex, frozenset(finite_verbs))
    out: list[TitleSpan | None] = [None] * len(mentions)
    order = sorted((i for i, (lab, _) in enumerate(mentions) if lab == "PER"),
                   key=lambda i: (mentions[i][1].start, mentions[i][1].end))
    claimed: list[TitleSpan] = []
    for i in order:
        cands = [doc.before(i), doc.after(i)]
        if cands[0] is not None and cands[1] is not None and doc.is_weak(cands[0]):
            cands.reverse()  # ``السفير X، سفير المغرب بالقاهرة``: the full title after the name
        for cand in cands:
            if cand is not None and not any(cand.overlaps(c) for c in claimed):
                out[i] = cand
                claimed.append(cand)
                break
    # ``les présidents X et Y``, ``مستشاري الوزير X وY وZ``: a plural title before a list of names
    # is the title of every name of the list
    for a, b in zip(order, order[1:]):
        t = out[a]
        if out[b] is None and t is not None and t.end <= mentions[a][1].start and doc.plural_title(t) \
                and doc.list_link(mentions[a][1].end, mentions[b][1].start):
            out[b] = t
    return out
