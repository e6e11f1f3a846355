"""Title lexicons (job-title heads, honorifics, stop words) read from ``data/<lang>/titles.yaml``.

Heads are the union of the keys ``title_heads`` (shared with the NER step),
``heads`` and ``entity_heads`` (the entities step only); an honorific that contains a head word is treated as a head.

Entries are stored as tuples of match keys (one per word), so that multi-word
heads (``secrétaire général``, ``رئيس الحكومة``) and honorifics (``Sa Majesté``)
match token sequences of the raw text.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

import yaml

from ..paths import data_path
from ..text.normalize import normalize
from ..text.tokenize import tokenize

__all__ = ["TitleLexicon", "load_lexicon", "load_state_forms", "load_honorifics", "load_state_adjectives", "load_demonym_suffixes", "match_key", "strip_accents", "SUPPORTED"]

SUPPORTED = ("fr", "ar")
_AR_LETTER = re.compile("[\u0621-\u064A]")


def strip_accents(text: str) -> str:
    """Latin letters without their accents (é -> e); Arabic letters are left as they are."""
    out = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and not ("\u0600" <= ch <= "\u06FF"):
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def match_key(token: str) -> str:
    """The form of a word used for lexicon matching: normalised, accent-free, typographic
    apostrophe folded, and for Arabic without the article ال (وزير == الوزير)."""
    k = strip_accents(normalize(token)).replace("’", "'").replace("‘", "'")
    if _AR_LETTER.match(k) and k.startswith("ال") and len(k) > 3:
        k = k[2:]
    return k


def _entry(text: str) -> tuple[str, ...]:
    return tuple(match_key(t.text) for t in tokenize(str(text)))


@dataclass(frozen=True)
class TitleLexicon:
    """The words that make up, bound and surround job titles in one language."""

    lang: str
    heads: frozenset[tuple[str, ...]]
    honorifics: frozenset[tuple[str, ...]]
    articles: frozenset[str]
    stops: frozenset[str]
    continuations: frozenset[tuple[str, ...]]
    conjunctions: frozenset[str]
    dangling: frozenset[str]
    links: frozenset[str] = frozenset()
    stops_exact: frozenset[str] = frozenset()   # stops as written, lower case, accents kept
    modifiers: frozenset[str] = frozenset()     # words that may open a title before its head (nouvelle)
    weak_heads: frozenset[tuple[str, ...]] = frozenset()   # heads used as a rank before a name (السفير)
    plural_heads: frozenset[str] = frozenset()  # plural heads: one title for a list of names (présidents)
    inner_phrases: frozenset[tuple[str, ...]] = frozenset()  # never end a title (par intérim, a.i.)

    @property
    def max_head_len(self) -> int:
        return max((len(h) for h in self.heads), default=1)

    @property
    def max_honorific_len(self) -> int:
        return max((len(h) for h in self.honorifics), default=1)


@functools.lru_cache(maxsize=None)
def load_lexicon(lang: str) -> TitleLexicon:
    """The title lexicon of ``lang`` (``fr`` or ``ar``) from ``data/<lang>/titles.yaml``."""
    if lang not in SUPPORTED:
        raise ValueError(f"no title lexicon for language {lang!r}; choose one of {', '.join(SUPPORTED)}")
    path = data_path(lang, "titles.yaml")
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing; it ships with the package (reinstall healthcoop-nlp)")
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}

    def entries(key: str) -> frozenset[tuple[str, ...]]:
        return frozenset(e for e in (_entry(x) for x in raw.get(key) or []) if e)

    def words(key: str) -> frozenset[str]:
        return frozenset(match_key(str(x)) for x in raw.get(key) or [])

    heads = (entries("title_heads") | entries("heads") | entries("entity_heads")
             | frozenset(e for e in (_entry(x) for x in raw.get("plural_heads") or []) if e))
    head_words = {h[0] for h in heads if len(h) == 1}
    # An honorific that is also a head (Roi, Prince, Ambassadeur) introduces a title here.
    honorifics = frozenset(h for h in entries("honorifics") if not head_words & set(h))
    return TitleLexicon(
        lang=lang,
        heads=heads,
        honorifics=honorifics,
        articles=words("articles"),
        stops=words("stops"),
        continuations=entries("continuations"),
        conjunctions=words("conjunctions"),
        dangling=words("dangling"),
        links=frozenset(normalize(str(x)) for x in raw.get("links") or []),
        modifiers=words("modifiers"),
        weak_heads=entries("weak_heads"),
        plural_heads=words("plural_heads"),
        inner_phrases=entries("inner_phrases"),
        stops_exact=frozenset(normalize(str(x)).replace("’", "'") for x in raw.get("stops") or []),
    )


def _all_languages(key: str) -> tuple[str, ...]:
    out: list[str] = []
    for lang in SUPPORTED:
        path = data_path(lang, "titles.yaml")
        if path.is_file():
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            out.extend(str(x) for x in raw.get(key) or [])
    return tuple(out)


@functools.lru_cache(maxsize=None)
def load_state_forms() -> tuple[str, ...]:
    """Words that make a country's official name from its short name (``Royaume`` du Maroc),
    from the ``state_forms`` key of every language's ``titles.yaml``."""
    return _all_languages("state_forms")


@functools.lru_cache(maxsize=None)
def load_honorifics() -> tuple[str, ...]:
    """The ``honorifics`` of every language's ``titles.yaml`` as written (M., Dr, السيد...)."""
    return _all_languages("honorifics")


@functools.lru_cache(maxsize=None)
def load_state_adjectives() -> tuple[str, ...]:
    """Adjectives that may follow a state's name in its official form (الشعبية، الاتحادية), from the
    ``state_adjectives`` key of every language's ``titles.yaml``."""
    return _all_languages("state_adjectives")


@functools.lru_cache(maxsize=None)
def load_demonym_suffixes() -> tuple[str, ...]:
    """Endings that make a country's adjective from its stem (algér-ienne, مغرب-ية), from the
    ``demonym_suffixes`` key of every language's ``titles.yaml``."""
    return _all_languages("demonym_suffixes")
