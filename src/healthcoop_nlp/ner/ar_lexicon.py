"""Token-level lookup of the Arabic gazetteer (``data/ar/gazetteer.tsv``).

Used as a CRF feature and to complete the tagger's output. A gazetteer form
matches a token sequence when their matching forms (``ar_features.match_form``)
are equal, the first token optionally carrying one-letter proclitics
(و ف ب ل ك) in front of the form; ``لل`` + noun matches ``ال`` + noun.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..paths import data_path
from ..text.tokenize import tokenize
from .ar_features import match_form, proclitic_variants

__all__ = ["Lexicon", "Entry", "proclitic_length"]



@dataclass(frozen=True)
class Entry:
    """One gazetteer form: its label and key (the real-world thing it names)."""

    label: str
    key: str
    surface: str


def proclitic_length(token: str, known: set[str] | None = None, rests: set[str] | None = None) -> int:
    """How many leading letters of ``token`` are proclitics outside an entity span.

    The guide's rule: a one-letter proclitic (و ف ب ل ك, up to two: وب، ول، فل...)
    is cut when what follows is a known form (``known``: gazetteer and model
    vocabulary forms) or starts with the article ``ال``; in ``لل`` + noun the
    span starts after the first ``ل``. Offsets count raw characters, so
    diacritics after a cut letter stay outside the span with it.
    """
    form = match_form(token)
    if known is not None and form in known:
        return 0  # the whole token is a known name (وجدة, not و + جدة)
    # in لل + noun (after an optional و/ف) only the first ل is a proclitic: the second one is the
    # article's, inside the span (ل[لمملكة]), whatever the rest of the word
    conj = 1 if form[:1] in "وف" else 0
    limit = conj + 1 if form[conj:conj + 2] == "لل" and len(form) > conj + 3 else 2
    best = 0
    for n, rest in proclitic_variants(form)[1:]:
        if n > limit:
            continue
        if rest.startswith("ال") and len(rest) > 3 or len(rest) > 2 and (
                (known is not None and rest in known) or (rests is not None and rest in rests)):
            best = n
    if best == 0:
        return 0
    # map ``best`` letters of the matching form back to raw characters (skip marks/tatweel)
    letters = 0
    for i, ch in enumerate(token):
        if match_form(ch):
            letters += 1
            if letters == best:
                j = i + 1
                while j < len(token) and not match_form(token[j]):
                    j += 1
                return j
    return 0


class Lexicon:
    """Gazetteer forms indexed by their token-level matching forms."""

    def __init__(self, entries: dict[tuple[str, ...], Entry]):
        self.entries = entries
        self.max_len = max((len(k) for k in entries), default=0)
        self.first_forms = {k[0] for k in entries}

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Lexicon":
        """Read ``label<TAB>surface<TAB>key`` lines (``#`` comments) of the Arabic gazetteer."""
        path = Path(path) if path is not None else data_path("ar", "gazetteer.tsv")
        entries: dict[tuple[str, ...], Entry] = {}
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                line = line.rstrip("\n")
                if not line.strip() or line.startswith("#"):
                    continue
                parts = line.split("\t")
                if len(parts) != 3 or parts[0] not in ("PER", "ORG", "LOC"):
                    raise ValueError(f"{path}:{n}: expected 'LABEL<TAB>surface<TAB>key' with LABEL in "
                                     f"PER/ORG/LOC, got {line!r}")
                label, surface, key = parts
                forms = tuple(match_form(t.text) for t in tokenize(surface))
                entries.setdefault(forms, Entry(label, key, surface))
        return cls(entries)

    def forms(self) -> set[str]:
        """First-token forms of the gazetteer entries (for the proclitic rule)."""
        return set(self.first_forms)

    def matches(self, tokens: Sequence[str]) -> list[tuple[int, int, int, Entry]]:
        """Longest non-overlapping matches, left to right, as
        (first token, end token exclusive, proclitic letters on the first token, entry)."""
        forms = [match_form(t) for t in tokens]
        out = []
        i = 0
        n = len(tokens)
        while i < n:
            found = None
            for pre, first in proclitic_variants(forms[i]):
                if first not in self.first_forms:
                    continue
                for length in range(min(self.max_len, n - i), 0, -1):
                    key = (first,) + tuple(forms[i + 1:i + length])
                    e = self.entries.get(key)
                    if e is not None:
                        if found is None or length > found[1] - found[0]:
                            found = (i, i + length, pre, e)
                        break
            if found:
                out.append(found)
                i = found[1]
            else:
                i += 1
        return out

    def token_tags(self, tokens: Sequence[str]) -> list[str | None]:
        """Per token ``B-LABEL``/``I-LABEL`` of the gazetteer match covering it, else None."""
        tags: list[str | None] = [None] * len(tokens)
        for s, e, _, entry in self.matches(tokens):
            tags[s] = "B-" + entry.label
            for k in range(s + 1, e):
                tags[k] = "I-" + entry.label
        return tags
