"""Rules that bring French statistical NER spans in line with the annotation guide.

spaCy's French models depart from ANNOTATION.md in systematic ways: titles
inside spans (``ministre de la Santé`` as ORG, ``Dr Leila Haddad`` as PER),
organisation names cut into pieces (``Secteur des Partenariats et de la`` +
``Coopération internationale de l’``), function words left at a span's end,
capitalised common nouns (``Royaume``, ``Organisation``) and a MISC label the
guide does not have. ``FrenchFixes`` repairs those with word lists from
``data/fr/titles.yaml`` and ``data/fr/ner_rules.yaml``; it knows nothing of
particular documents.

Spans are ``(label, start, end)`` triples over the raw text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import yaml

from ..paths import data_path

__all__ = ["FrenchFixes", "Span3"]

Span3 = tuple[str, int, int]

_WORD = re.compile(r"[^\W_][\w\-’'.]*|\S")
_APOS = "['’]"


def _alt(words: list[str]) -> str:
    parts = []
    for w in sorted(set(words), key=len, reverse=True):
        p = "".join(_APOS if c in "'’" else r"\s+" if c == " " else re.escape(c) for c in w)
        parts.append(p)
    return "(?:" + "|".join(parts) + ")"


def _fold(s: str) -> str:
    return " ".join(s.replace("’", "'").split()).lower()


def _ministry_re(rules: dict) -> re.Pattern[str] | None:
    heads = rules.get("ministry_heads") or []
    if not heads:
        return None
    ends = "|".join(sorted((re.escape(e) for e in rules.get("domain_adjective_endings") or []), key=len, reverse=True))
    low = "a-zàâçéèêëîïôûùüÿœ"
    adj = rf"[{low}][{low}\-]{{2,}}(?:{ends})" if ends else rf"[{low}][{low}\-]{{3,}}"
    comp = rf"(?:de\s+la\s+|de\s+l{_APOS}\s*|du\s+|des\s+|de\s+)"
    dom = rf"[A-ZÀ-ÖØ-Þ][\w\-]*(?:\s+{adj}(?![\w\-])){{0,2}}"
    more = rf"(?:(?:\s*,\s*|\s+et\s+|\s*,\s+et\s+){comp}{dom})*"
    return re.compile(rf"(?<![\w\-]){_alt(heads)}(?:\s+{adj})?\s+{comp}{dom}{more}(?![\w\-])")


def _demonym_re(rules: dict) -> re.Pattern[str] | None:
    ends = rules.get("demonym_endings") or []
    if not ends:
        return None
    alt = "|".join(sorted((re.escape(e) for e in ends), key=len, reverse=True))
    return re.compile(rf"[A-ZÀ-ÖØ-Þ][a-zàâçéèêëîïôûùüÿœ\-]+(?:{alt})")


@dataclass
class FrenchFixes:
    """Span repairs for French NER, driven by the French title and rule lists."""

    honorific_re: re.Pattern[str]
    title_re: re.Pattern[str]
    org_head_re: re.Pattern[str]
    common: set[str]
    trailing: set[str]
    connectors: set[str]
    label_map: dict[str, str]
    ministry_re: re.Pattern[str] | None = None
    demonym_re: re.Pattern[str] | None = None
    institution_re: re.Pattern[str] | None = None

    @classmethod
    def load(cls) -> "FrenchFixes":
        """The fixes configured by ``data/fr/titles.yaml`` and ``data/fr/ner_rules.yaml``."""
        titles = yaml.safe_load(data_path("fr", "titles.yaml").read_text(encoding="utf-8"))
        rules = yaml.safe_load(data_path("fr", "ner_rules.yaml").read_text(encoding="utf-8"))
        det = rf"(?:(?:le|la|les)\s+|l{_APOS})?"
        return cls(
            honorific_re=re.compile(rf"{det}{_alt(titles['honorifics'])}(?:\s+|$)"),
            title_re=re.compile(rf"{det}{_alt(titles['title_heads'])}(?![\w\-])", re.IGNORECASE),
            org_head_re=re.compile(rf"{_alt(rules['org_heads'])}(?![\w\-])"),
            common={_fold(w) for w in rules["common_nouns"]},
            trailing={_fold(w) for w in rules["trailing_function_words"]},
            connectors={_fold(w) for w in rules["org_connectors"]},
            label_map=dict(rules["label_map"]),
            ministry_re=_ministry_re(rules),
            demonym_re=_demonym_re(rules),
            institution_re=(re.compile(rf"(?<![\w\-]){_alt(rules['institution_heads'])}\s+(?:de\s+la\s+|de\s+l{_APOS}\s*|"
                                       rf"du\s+|des\s+|de\s+|d{_APOS}\s*)")
                            if rules.get("institution_heads") else None),
        )

    def find_ministries(self, text: str) -> list[Span3]:
        """Ministries named as institutions, as ORG spans."""
        if self.ministry_re is None:
            return []
        return [("ORG", m.start(), m.end()) for m in self.ministry_re.finditer(text)]

    # -- single-span repairs ---------------------------------------------------
    def trim(self, text: str, s: int, e: int) -> tuple[int, int]:
        """Drop spaces, punctuation and function words at both ends of a span."""
        changed = True
        while changed and s < e:
            changed = False
            seg = text[s:e]
            stripped = seg.strip(" \t\n,;:«»\"“”()[]–-.")
            # keep a final dot of an abbreviation ("M.", "Jr.") only inside; spans rarely end with one
            if stripped != seg:
                if not stripped:
                    return s, s
                s += seg.index(stripped)
                e = s + len(stripped)
                changed = True
                continue
            words = list(_WORD.finditer(text, s, e))
            if not words:
                return s, s
            last = words[-1]
            lw = _fold(last.group())
            if lw in self.trailing or re.fullmatch(r"(?:l|d|qu)'", lw):
                e = last.start()
                changed = True
                continue
            first = words[0]
            fw = _fold(first.group())
            # a lowercase article is outside a name; a capitalised one is part of it ("La Courneuve")
            if first.group() in ("le", "la", "les", "de", "du", "des") or re.fullmatch(r"[ld]'", fw):
                s = first.end()
                changed = True
            elif re.match(rf"[ld]{_APOS}", first.group()) and len(first.group()) > 2 and first.group()[2:3].isupper():
                s = first.start() + 2
                changed = True
        return s, e

    def strip_titles(self, text: str, label: str, s: int, e: int) -> Span3 | None:
        """Remove honorifics and job titles at the start of a span.

        A title followed by ``de/du/de la`` + an organisation head keeps the
        organisation (``Directeur général de l’[Organisation …]``); a title
        with any other complement (``ministre de la Santé``) is dropped; a
        name left after an honorific or a bare title is a PER."""
        stripped_honorific = False
        while s < e:
            m = self.honorific_re.match(text, s, e)
            if m and m.end() > s and (m.end() == e or not text[m.end() - 1].isalnum() or text[m.end() - 1] == " "):
                # the honorific must be followed by a name, not be the whole span
                if m.end() >= e:
                    return None
                s = m.end()
                stripped_honorific = True
                continue
            t = self.title_re.match(text, s, e)
            if t:
                rest = text[t.end():e]
                # adjectives of the title ("général", "régional") stay with it
                m2 = re.match(r"(?:\s+(?:général|générale|régional|régionale|adjoint|adjointe|délégué|déléguée|exécutif|exécutive|national|nationale))*", rest)
                pos = t.end() + (m2.end() if m2 else 0)
                rest = text[pos:e]
                comp = re.match(rf"\s*(?:,\s*)?(?:de\s+la\s+|de\s+l{_APOS}\s*|du\s+|des\s+|de\s+|d{_APOS}\s*|à\s+la\s+|au\s+|aux\s+)", rest)
                if comp:
                    after = pos + comp.end()
                    if self.org_head_re.match(text, after, e):
                        return ("ORG", after, e)
                    return None
                nxt = re.match(r"\s*,?\s*", rest)
                after = pos + (nxt.end() if nxt else 0)
                if after >= e or not text[after].isupper():
                    return None
                s = after
                stripped_honorific = True
                continue
            break
        if s >= e:
            return None
        if stripped_honorific:
            return ("PER", s, e)  # honorifics and bare titles introduce persons
        return (label, s, e)

    def find_institutions(self, text: str, places: list[Span3]) -> list[Span3]:
        """``ambassade du Japon``: an institution head, ``de`` and a known place (``places``: LOC spans
        found by the gazetteer) as one ORG span."""
        if self.institution_re is None:
            return []
        starts = {s: e for lab, s, e in places if lab == "LOC"}
        out = []
        for m in self.institution_re.finditer(text):
            end = starts.get(m.end())
            if end is not None:
                out.append(("ORG", m.start(), end))
        return out

    def is_demonym(self, text: str, s: int, e: int) -> bool:
        """True when ``text[s:e]`` is one capitalised word with a demonym ending (``Guinéens``)."""
        return self.demonym_re is not None and self.demonym_re.fullmatch(text, s, e) is not None

    def ends_with_connector(self, text: str, s: int, e: int) -> bool:
        """True when ``text[s:e]`` ends with a preposition or article (``… et de la``)."""
        words = _WORD.findall(text[s:e])
        return bool(words) and _fold(words[-1]) in self.trailing and words[-1] not in (",",)

    def is_common(self, text: str, s: int, e: int) -> bool:
        """True when the span is a capitalised common noun (``Royaume``, ``États membres``)
        or has no capital letter or digit at all."""
        seg = text[s:e]
        if not any(c.isupper() or c.isdigit() for c in seg):
            return True
        return _fold(seg) in self.common

    def merge_fragments(self, text: str, spans: list[Span3], known: Callable[[str], bool]) -> list[Span3]:
        """Glue an ORG piece that starts with an organisation head to the next
        model ORG piece when only connectors separate them and the next piece
        is not a known organisation of its own (``known``)."""
        spans = sorted(spans, key=lambda x: x[1])
        out: list[Span3] = []
        for sp in spans:
            if out:
                pl, ps, pe = out[-1]
                lab, s, e = sp
                gap = text[pe:s]
                gap_words = [_fold(w) for w in _WORD.findall(gap)]
                if (pl == "ORG" and lab in ("ORG", "MISC", "LOC") and 0 <= s - pe <= 12 and "\n" not in gap
                        and all(w in self.connectors for w in gap_words)
                        and self.org_head_re.match(text, ps, pe)
                        and not self.org_head_re.match(text, s, e)
                        and self.ends_with_connector(text, ps, s)
                        and not known(text[s:e]) and not known(text[ps:pe])
                        and not re.fullmatch(r"[A-Z0-9&\-]+", text[s:e])):
                    out[-1] = ("ORG", ps, e)
                    continue
            out.append(sp)
        return out
