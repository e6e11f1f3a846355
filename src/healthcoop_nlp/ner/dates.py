"""DATE mentions for any language whose date words are listed in ``data/<lang>/dates.yaml``.

``find_dates(text, lang, doc_date)`` returns flat DATE mentions with raw
offsets and, where the expression and the document date determine it, an
ISO 8601 ``value`` (``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or ``START/END``),
following the annotation guide (sections 2, 2.1 and 4).

Two steps:

1. A grammar built from the language's date words proposes candidate spans
   (``candidates``): a day with its weekday, time of day, relative day and
   qualifier (``ce jeudi 9 mai dernier``, ``مساء اليوم الأحد``), two ways of
   writing one date joined by ``الموافق`` or brackets (Hijri + Gregorian), day
   ranges, numeric dates (``12/03/2024``, ``26-3-2025``), months and years
   with their words, relative periods (``la semaine dernière``,
   ``العام الماضي``), and every bare four-digit year.
2. A keep/drop decision per candidate: by default a logistic model trained on
   hcnews/train (``models/dates/model.json``, ``python -m
   healthcoop_nlp.train.dates``) over the candidate's kind, words and context;
   ``mode="grammar"`` uses the hand rules instead (a bare year needs a cue
   word). In both modes the rules' vetoes are final: an impossible calendar
   date, a number after a quantity word, a lone capitalised French month, a
   lone Arabic month name, ``اليوم`` as "the X day" (``اليوم العالمي``).

Then the longest kept candidates win (flat mentions). A leading preposition
(``le``, ``du``, ``en``, ``في``), an article before a unit (``la [semaine
dernière]``) and an attached Arabic proclitic stay outside the span.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..paths import MODELS_DIR, data_path
from ..record import Mention
from ..text.normalize import normalize

__all__ = ["find_dates", "candidates", "select_flat", "resolve_value", "candidate_features", "Candidate", "DateGrammar",
           "load_grammar", "load_filter", "DateFilter", "MODES"]

MODES = ("learned", "grammar", "all")

_DIG = r"[0-9\u0660-\u0669\u06F0-\u06F9]"
_W = r"[^\W_]"  # a letter or digit


def _key(s: str) -> str:
    """Lookup key of a date word: the guide's normalised text with apostrophes folded."""
    return normalize(s.replace("’", "'"))


def _to_int(digits: str) -> int:
    return int("".join(str(unicodedata.digit(c)) for c in digits))


@dataclass
class DateGrammar:
    """Compiled patterns and word tables of one language."""

    lang: str
    months: dict[str, int]
    weekdays: dict[str, int]
    relative: dict[str, int]
    ordinals: dict[str, int]
    qualifiers: dict[str, int]
    units: dict[str, str]
    scopes: dict[str, tuple[str, int]]
    year_cues: set[str]
    year_not_after: set[str]
    patterns: list[tuple[str, re.Pattern[str]]]
    month_re: re.Pattern[str]
    other_month_re: re.Pattern[str]
    weekday_re: re.Pattern[str]
    relative_re: re.Pattern[str]
    ordinal_re: re.Pattern[str]
    qualifier_re: re.Pattern[str]
    unit_qual_re: re.Pattern[str]
    scope_re: re.Pattern[str]
    join_re: re.Pattern[str]
    range_split_re: re.Pattern[str]
    year_word_re: re.Pattern[str] | None
    month_word_re: re.Pattern[str] | None
    time_re: re.Pattern[str]
    bare_month_lowercase: bool
    bare_month_needs_word: bool
    relative_not_before: tuple[str, ...]
    determiners: set[str] = field(default_factory=set)
    period_months: dict[str, tuple[int, int]] = field(default_factory=dict)
    hijri_months: dict[str, int] = field(default_factory=dict)
    period_months_re: re.Pattern[str] | None = None


def _word_re(word: str, fold: dict[str, str]) -> str:
    out = []
    if word.startswith("ال") and fold:
        # Arabic article after the proclitic ل (لل + noun): the span starts at the second ل.
        out.append("(?:[" + re.escape(fold.get("ا", "ا")) + "]|(?<=ل))")
        word = word[1:]
    for ch in word:
        if ch in ("'", "’"):
            out.append("['’]")
        elif ch.isspace():
            out.append(r"\s+")
        elif ch in fold:
            out.append("[" + re.escape(fold[ch]) + "]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def _alt(words, fold: dict[str, str]) -> str:
    """Regex alternation of words, longest first; a never-matching pattern when empty."""
    words = sorted({str(w) for w in words}, key=len, reverse=True)
    return "(?:" + "|".join(_word_re(w, fold) for w in words) + ")" if words else "(?!x)x"


def _opt(words, fold: dict[str, str], tail: str = r"\s+") -> str:
    words = list(words or [])
    return f"(?:{_alt(words, fold)}{tail})?" if words else ""


def _end(p: str) -> str:
    """``p`` ending at a word boundary (a word-final dot, as in ``sept.``, is its own boundary)."""
    return rf"{p}(?:(?<=\.)|(?!{_W}))"


@lru_cache(maxsize=None)
def load_grammar(lang: str) -> DateGrammar:
    """The compiled date grammar of ``lang`` from ``data/<lang>/dates.yaml``."""
    path = data_path(lang, "dates.yaml")
    if not path.is_file():
        raise FileNotFoundError(
            f"no date words for language {lang!r}: expected {path} (copy data/fr/dates.yaml and translate it)")
    cfg: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    fold = dict(cfg.get("fold") or {})
    def L(k: str) -> list[str]:  # noqa: N802 - a word list of the file
        return [str(w) for w in (cfg.get(k) or [])]
    months = {str(k): int(v) for k, v in cfg["months"].items()}
    abbrevs = {str(k): int(v) for k, v in (cfg.get("month_abbreviations") or {}).items()}
    weekdays = {str(k): int(v) for k, v in cfg["weekdays"].items()}
    relative = {str(k): int(v) for k, v in (cfg.get("relative_days") or {}).items()}
    ordinals = {str(k): int(v) for k, v in (cfg.get("ordinal_days") or {}).items()}
    qualifiers = {str(k): int(v) for k, v in (cfg.get("qualifiers") or {}).items()}
    units = {str(k): str(v) for k, v in (cfg.get("units") or {}).items()}
    scopes = {str(k): (str(v[0]), int(v[1])) for k, v in (cfg.get("scope_suffixes") or {}).items()}
    period_months = {str(k): (int(v[0]), int(v[1])) for k, v in (cfg.get("period_months") or {}).items()}

    hijri = {str(k): int(v) for k, v in (cfg.get("other_calendar_months") or {}).items()}
    MON1 = _alt(list(months) + list(hijri), fold)
    MONA = _alt(list(months) + list(abbrevs) + list(hijri), fold)
    PAIRONLY = _alt(L("paired_only_months"), fold)
    WDN = _end(_alt(list(weekdays), fold))
    REL = _end(_alt(list(relative), fold))
    DET = _alt(L("determiners"), fold)
    WDW = _opt(L("weekday_words"), fold)
    DW = _opt(L("day_words"), fold)
    MW = _opt(L("month_words"), fold, r"\s*")
    YW = _opt(L("year_words"), fold)
    YSUF = f"(?:\\s?{_end(_alt(L('year_suffixes'), fold))})?" if L("year_suffixes") else ""
    DSUF = f"(?:{_alt(L('day_suffixes'), fold)})?"
    DPRE = _opt(L("day_prefixes"), fold, r"\s*")
    DMLINK = _opt(L("day_month_links"), fold)
    ORD = _alt(list(ordinals), fold)
    CONN_W = _alt(L("range_connectors"), fold)
    ART = _opt(L("range_articles"), fold)
    TCONN = _alt(L("time_connectors"), fold)
    HOURW = _alt(L("hour_words"), fold)
    TODA = _end(_alt(L("time_of_day_after"), fold))
    TODN = _end(_alt(L("time_of_day_nouns"), fold))
    TODB = _alt(L("time_of_day_before"), fold)
    QUAL = _end(_alt(list(qualifiers), fold))
    UNIT = _end(_alt(list(units), fold))
    SCOPE = _end(_alt(list(scopes), fold))
    SCOPE_M = _end(_alt([k for k, v in scopes.items() if v[0] == "month"], fold))  # names the month of a day
    PRE = _alt(L("period_prefixes"), fold)
    PLINK = rf"(?:\s*-\s*|\s+(?:{_alt(L('period_links'), fold)}\s*)?)" if L("period_links") else r"(?:\s*-\s*|\s+)"
    JOINW = _alt(L("join_words"), fold)
    pro = str(cfg.get("proclitics") or "")
    conj = "".join(c for c in str(cfg.get("conjunctions") or "") if c in pro)
    prep = "".join(c for c in pro if c not in conj)

    SEP = r"\s*[,،]?\s*"
    SEPY = r"\s*[,،\-–]?\s*"
    CONN = rf"\s*{CONN_W}\s*{ART}"
    D = rf"(?:{DPRE}{_DIG}{{1,2}}{DSUF}(?!{_DIG})|{ORD})"
    M = (rf"(?:{MON1}|{PAIRONLY}(?=\s*/))(?:\s*[/\-–]\s*{MON1}|\s*\(\s*{MON1}\s*\))?")
    MA = rf"(?:{M}|{MONA})"  # after a day number, abbreviations too
    Y = rf"{_DIG}{{4}}(?!{_DIG}){YSUF}"
    YY = rf"{YW}{Y}"
    DM = rf"{D}{SEP}{DMLINK}{MA}"
    WDC = rf"(?:{WDN}\s+)?"  # a weekday may open the second end of a range
    DAYDATE = (rf"{DW}(?:{DM}(?:{SEPY}{YY})?{CONN}{WDC}{DM}(?:{SEPY}{YY})?"
               rf"|{D}(?:{CONN}{WDC}{D})?{SEP}{DMLINK}{MA}(?:{SEPY}{YY})?)")
    NUM1 = (rf"(?:{_DIG}{{1,2}}\s*[/.\-ـ]\s*{_DIG}{{1,2}}\s*[/.\-ـ]\s*{_DIG}{{4}}(?!{_DIG})"
            rf"|{_DIG}{{4}}[/.\-]{_DIG}{{1,2}}[/.\-]{_DIG}{{1,2}}(?!{_DIG}))")
    NUM1 = rf"{NUM1}{YSUF}"
    NUMERIC = rf"{NUM1}(?:{CONN}{NUM1})?"
    HOUR = rf"{_DIG}{{1,2}}\s*(?::|{HOURW})\s*{_DIG}{{2}}(?:\s*:\s*{_DIG}{{2}})?(?!{_DIG})"
    TIME = rf"(?:{SEPY}(?:{TCONN}\s*)?{HOUR})"
    DATEP = rf"(?:{DAYDATE}|{NUMERIC})"
    WD = rf"{WDW}{WDN}"
    TAIL = rf"{TIME}?(?:\s+{QUAL})?(?:{SEP}{TODA})?(?:\s+{SCOPE})?"
    WDCORE = rf"{WD}(?:\s+{QUAL})?(?:{SEP}{TODA})?(?:{SEP}{ART}{DATEP})?"
    RELCORE = rf"{REL}(?:{SEP}{WD})?(?:{SEP}{TODA})?(?:{SEP}{DATEP})?"
    HEAD = rf"(?:{TODB}{SEP}{WDW})?(?:{DET}\s+)?"
    JOIN = (rf"(?:{SEP}\(\s*(?:{WD}|{DATEP}|{REL}){TAIL}\s*\)"
            rf"|(?:{SEP}|\s*[-–]\s*){JOINW}\s*(?:{WD}{SEP})?{DATEP}{TAIL})")
    PERIOD = rf"(?:{PRE}{PLINK})"
    body = {
        "day": (rf"{HEAD}(?:{RELCORE}|{WDCORE}|{DATEP}){TAIL}(?:{JOIN})?"
                rf"(?:{CONN}{HEAD}(?:{WDCORE}|{DATEP}){TAIL}(?:{JOIN})?)?"),
        "weekrange": rf"{HEAD}{WD}{CONN}{WDN}",
        "monthless": rf"{HEAD}(?:{WD}{SEP})?{DW}{D}(?:{CONN}{D})?\s+{SCOPE_M}",
        "month": rf"{HEAD}{PERIOD}?(?:{DET}\s+)?{MW}{M}(?:{CONN}{MON1})?(?:{SEPY}{YY})?(?:\s+{QUAL})?(?:\s+{SCOPE})?",
        "year": rf"{HEAD}{PERIOD}?(?:{DET}\s+)?{YY}(?:{CONN}{Y})?",
        "period": rf"{HEAD}{PERIOD}?(?:{DET}\s+)?{UNIT}(?:\s+{QUAL})?",
        "tod": rf"{DET}\s+{TODN}",
    }
    lead = rf"(?<!{_W})(?<![/\-–ـ:])"
    if conj:
        lead += rf"(?:[{re.escape(conj)}](?={_W}))?"
    if prep:
        lead += rf"(?:[{re.escape(prep)}](?={_W}))?"
    patterns = [(name, re.compile(rf"{lead}(?P<s>{b})(?:(?<=\.)|(?<=\))|(?!{_W}))(?![/\-ـ]{_DIG})", re.IGNORECASE))
                for name, b in body.items()]
    patterns.append(("bareyear", re.compile(rf"(?<!{_W})(?<![/.\-]){_DIG}{{4}}(?!{_W})(?![/.\-]{_DIG})")))
    ywords, mwords = L("year_words"), L("month_words")
    return DateGrammar(
        lang=lang, months={_key(k): v for k, v in {**abbrevs, **months}.items()},
        weekdays={_key(k): v for k, v in weekdays.items()},
        relative={_key(k): v for k, v in relative.items()},
        ordinals={_key(k): v for k, v in ordinals.items()},
        qualifiers={_key(k): v for k, v in qualifiers.items()},
        units={_key(k): v for k, v in units.items()},
        scopes={_key(k): v for k, v in scopes.items()},
        year_cues={_key(w) for w in L("year_cues")},
        year_not_after={_key(w) for w in L("year_not_after")},
        patterns=patterns,
        month_re=re.compile(_end(rf"(?<!{_W})(?:{MON1}|{_alt(list(abbrevs), fold)})"), re.IGNORECASE),
        other_month_re=re.compile(_end(rf"(?<!{_W}){_alt(list(hijri), fold)}"), re.IGNORECASE),
        hijri_months={_key(k): v for k, v in hijri.items()},
        weekday_re=re.compile(rf"(?<!{_W}){WDN}", re.IGNORECASE),
        relative_re=re.compile(rf"(?<!{_W}){REL}", re.IGNORECASE),
        ordinal_re=re.compile(_end(rf"(?<!{_W})(?:[{re.escape(conj)}](?={_W}))?(?P<o>{ORD})") if conj
                              else _end(rf"(?<!{_W})(?P<o>{ORD})"), re.IGNORECASE),
        qualifier_re=re.compile(rf"(?<!{_W}){QUAL}", re.IGNORECASE),
        unit_qual_re=re.compile(rf"(?<!{_W})(?:(?P<det>{DET})\s+(?P<u1>{UNIT})|(?P<u2>{UNIT})\s+(?P<q>{QUAL}))",
                                re.IGNORECASE),
        scope_re=re.compile(rf"(?<!{_W}){SCOPE}", re.IGNORECASE),
        join_re=re.compile(rf"(?<!{_W}){JOINW}", re.IGNORECASE),
        range_split_re=re.compile(rf"{CONN}(?=(?:{TODB}\s+)?{WDW}{WDN}|{DW}{_DIG})", re.IGNORECASE),
        year_word_re=re.compile(_alt(ywords, fold), re.IGNORECASE) if ywords else None,
        month_word_re=re.compile(_alt(mwords, fold), re.IGNORECASE) if mwords else None,
        time_re=re.compile(TIME, re.IGNORECASE),
        bare_month_lowercase=bool(cfg.get("bare_month_lowercase", False)),
        bare_month_needs_word=bool(cfg.get("bare_month_needs_word", False)),
        relative_not_before=tuple(_key(w) for w in L("relative_not_before")),
        determiners={_key(w) for w in L("determiners")},
        period_months={_key(k): v for k, v in period_months.items()},
        period_months_re=re.compile(rf"(?<!{_W}){_alt(list(period_months), fold)}", re.IGNORECASE)
        if period_months else None,
    )


# ---------------------------------------------------------------- candidates

@dataclass
class Candidate:
    """A span the grammar proposes: ``kind`` is its pattern, ``rule_ok`` the hand rules' verdict."""

    start: int
    end: int
    kind: str
    rule_ok: bool
    nested: bool = False  # strictly inside another candidate
    veto: bool = False  # the hand rules' final no (an impossible date, a count...): never kept


_PREV_WORDS = re.compile(r"(?:([\w'’+\-]+)\s+)?([\w'’+]+)[\s\-]*$")


def _has_year_cue(g: DateGrammar, text: str, start: int) -> bool:
    m = _PREV_WORDS.search(text, max(0, start - 60), start)
    if not m:
        return False
    before = {_key(x) for x in m.groups() if x}
    if any(b in g.year_not_after or b.split("'")[-1] in g.year_not_after for b in before):
        return False
    w = _key(m.group(2))
    return w in g.year_cues or w.split("'")[-1] in g.year_cues


def _valid_calendar(g: DateGrammar, span: str) -> bool:
    """False for a day that no month has (``31 février``, ``45 mars``) or a numeric date that is no date."""
    for part in _parts(g, span):
        body = g.time_re.sub(" ", part)
        num = _numeric(body)
        if num is not None:
            if num is False:
                return False
            continue
        months = [g.months.get(_key(m.group()), 0) for m in g.month_re.finditer(body)]
        rest = g.month_re.sub(" ", body)
        days = [n for n in (_to_int(x) for x in re.findall(rf"{_DIG}+", rest)) if n < 1000]
        if any(d < 1 or d > 31 for d in days):
            return False
        for i, d in enumerate(days[:2]):
            if months and months[min(i, len(months) - 1)] and _ymd(2024, months[min(i, len(months) - 1)], d) is None:
                return False
    return True


def _verdict(g: DateGrammar, kind: str, text: str, start: int, end: int) -> tuple[bool, bool]:
    """The hand rules' verdict on a candidate: (keep, veto). A veto (an impossible date, a number
    after a quantity word, a lone capitalised French month, a lone Arabic month name, a unit word
    alone, ``اليوم العالمي``) is final; a bare year without a cue word is only the rules' guess."""
    span = text[start:end]
    if kind in ("year", "bareyear"):
        nums = [_to_int(n) for n in re.findall(rf"{_DIG}+", span)]
        if not all(1800 <= n <= 2100 for n in nums) or (len(nums) == 2 and nums[1] <= nums[0]):
            return False, True
        has_more = bool(re.search(r"[^\W\d_]", span))  # a year word, a determiner, a period prefix, an era mark
        if has_more or len(nums) == 2:
            return True, False
        m = _PREV_WORDS.search(text, max(0, start - 60), start)
        before = {_key(x) for x in m.groups() if x} if m else set()
        if any(b in g.year_not_after or b.split("'")[-1] in g.year_not_after for b in before):
            return False, True
        return _has_year_cue(g, text, start), False
    if kind == "month" and not re.search(_DIG, span):
        has_word = g.month_word_re is not None and g.month_word_re.search(span) is not None
        qualified = g.qualifier_re.search(span) is not None or g.scope_re.search(span) is not None
        alone = g.month_re.fullmatch(span) is not None
        if g.bare_month_needs_word and not has_word and not qualified and not (
                not alone and g.other_month_re.search(span) is None):
            return False, True
        if g.bare_month_lowercase and alone and span != span.lower():
            return False, True
    if kind == "period":
        # a unit needs a determiner, a qualifier or a period prefix: "mois" alone is no date
        if g.month_re.fullmatch(span) or len(span.split()) < 2 and "-" not in span:
            return False, True
    if kind == "day" and g.relative_not_before and g.relative_re.fullmatch(span):
        nxt = re.match(r"\s*([^\W\d_]+)", text[end:end + 40])
        if nxt and _key(nxt.group(1)) in g.relative_not_before:
            return False, True
    if kind in ("day", "monthless") and not _valid_calendar(g, span):
        return False, True
    return True, False


def candidates(text: str, lang: str) -> list[Candidate]:
    """Every span the grammar of ``lang`` proposes (overlapping), with the hand rules' verdict."""
    g = load_grammar(lang)
    out: dict[tuple[int, int], Candidate] = {}
    for kind, pat in g.patterns:
        for m in pat.finditer(text):
            s, e = (m.start("s"), m.end("s")) if "s" in pat.groupindex else (m.start(), m.end())
            while e > s and text[e - 1].isspace():
                e -= 1
            if e <= s or (s, e) in out:
                continue
            ok, veto = _verdict(g, kind, text, s, e)
            out[(s, e)] = Candidate(s, e, kind, ok, veto=veto)
    cands = sorted(out.values(), key=lambda c: (c.start, -c.end))
    max_end = -1  # spans are unique: an earlier one (start <= c.start) reaching c.end strictly contains c
    for c in cands:
        c.nested = max_end >= c.end
        max_end = max(max_end, c.end)
    return cands


def select_flat(cands: list[Candidate]) -> list[Candidate]:
    """Flat mentions from kept candidates: longest first, then leftmost, never overlapping; in text order."""
    starts: list[int] = []
    chosen: list[Candidate] = []
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), c.start)):
        i = bisect.bisect_left(starts, c.start)
        if (i > 0 and chosen[i - 1].end > c.start) or (i < len(chosen) and chosen[i].start < c.end):
            continue
        starts.insert(i, c.start)
        chosen.insert(i, c)
    return chosen


# ---------------------------------------------------------------- learned keep/drop

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?|\S")


def _shape(g: DateGrammar, tok: str) -> str:
    k = _key(tok)
    if re.fullmatch(rf"{_DIG}+", tok):
        return f"D{len(tok)}"
    if k in g.months or g.month_re.fullmatch(tok):
        return "MON"
    if k in g.weekdays:
        return "WD"
    if k in g.relative:
        return "REL"
    if k in g.qualifiers:
        return "QUAL"
    if k in g.units:
        return "UNIT"
    return "W"


def candidate_features(text: str, lang: str, c: Candidate) -> list[str]:
    """Sparse binary features of one candidate: its kind, shape, words and context."""
    g = load_grammar(lang)
    span = text[c.start:c.end]
    toks = _TOKEN.findall(span)
    left = _TOKEN.findall(text[max(0, c.start - 40):c.start])[-2:]
    right = _TOKEN.findall(text[c.end:c.end + 40])[:2]
    shapes = [_shape(g, t) for t in toks]
    nums = [_to_int(n) for n in re.findall(rf"{_DIG}+", span)]
    f = [f"kind={c.kind}", f"rule={c.rule_ok}", f"kind_rule={c.kind}|{c.rule_ok}", f"nested={c.nested}",
         f"kind_nested={c.kind}|{c.nested}", f"rule_nested={c.rule_ok}|{c.nested}",
         f"years_ok={all(1800 <= n <= 2100 for n in nums if n >= 100)}",
         f"ntok={min(len(toks), 6)}", "shape=" + " ".join(shapes[:6]),
         f"first={_key(toks[0]) if toks else ''}", f"last={_key(toks[-1]) if toks else ''}",
         f"kind_last={c.kind}|{_key(toks[-1]) if toks else ''}"]
    f += [f"has={s}" for s in set(shapes)]
    p1 = _key(left[-1]) if left else "<s>"
    p2 = _key(left[-2]) if len(left) > 1 else "<s>"
    n1 = _key(right[0]) if right else "</s>"
    n2 = _key(right[1]) if len(right) > 1 else "</s>"
    f += [f"p1={p1}", f"p2={p2}", f"n1={n1}", f"p1n1={p1}|{n1}", f"n2={n2}",
          f"kind_p1={c.kind}|{p1}", f"kind_n1={c.kind}|{n1}",
          f"p1shape={_shape(g, left[-1]) if left else '<s>'}", f"n1shape={_shape(g, right[0]) if right else '</s>'}"]
    if toks and toks[0][:1].isupper():
        f.append(f"cap|{c.kind}")
    if left and left[-1][:1].isupper() and left[-1].isalpha():
        f.append("p1cap")
    if right and right[0][:1].isupper() and right[0].isalpha():
        f.append("n1cap")
    line_start = text.rfind("\n", 0, c.start) + 1
    if not text[line_start:c.start].strip():
        f.append("line_start")
    if c.start > 0 and text[c.start - 1] in "(":
        f.append("in_bracket")
    return f


@dataclass
class DateFilter:
    """A logistic keep/drop model over candidate features, read from ``models/dates/model.json``."""

    weights: dict[str, dict[str, float]]
    bias: dict[str, float]
    threshold: dict[str, float]

    def prob(self, text: str, lang: str, c: Candidate) -> float:
        """Probability that the candidate is a DATE (overlaps a gold DATE span in training)."""
        w = self.weights.get(lang, {})
        z = self.bias.get(lang, 0.0) + sum(w.get(x, 0.0) for x in candidate_features(text, lang, c))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def keep(self, text: str, lang: str, c: Candidate) -> bool:
        """True when the model keeps the candidate (the grammar's verdict for a language it was not trained on);
        a vetoed candidate is never kept."""
        if c.veto:
            return False
        if lang not in self.weights:
            return c.rule_ok
        return self.prob(text, lang, c) >= self.threshold.get(lang, 0.5)


@lru_cache(maxsize=4)
def load_filter(path: str | None = None) -> DateFilter | None:
    """The shipped keep/drop model (``models/dates/model.json``), or None when it is absent."""
    p = MODELS_DIR / "dates" / "model.json" if path is None else Path(path)
    if not p.is_file():
        return None
    d = json.loads(p.read_text(encoding="utf-8"))
    return DateFilter(weights=d["weights"], bias=d["bias"], threshold=d["threshold"])


# ---------------------------------------------------------------- values

def _ymd(y: int, m: int, d: int) -> _dt.date | None:
    try:
        return _dt.date(y, m, d)
    except ValueError:
        return None


def _parse_doc_date(doc_date: str | None) -> tuple[int | None, int | None, _dt.date | None]:
    if not doc_date:
        return None, None, None
    m = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", doc_date)
    if not m:
        return None, None, None
    y = int(m.group(1))
    mo = int(m.group(2)) if m.group(2) else None
    day = _ymd(y, mo, int(m.group(3))) if (mo and m.group(3)) else None
    return y, mo, day


def _hijri_to_gregorian(y: int, m: int, d: int) -> _dt.date | None:
    """The Gregorian date of a Hijri date in the arithmetical (tabular) Islamic calendar; None when the day
    does not exist. It can differ by a day from the Umm al-Qura calendar that Gulf media print."""
    if not (1 <= m <= 12 and 1 <= d <= 30 and y >= 1):
        return None
    jdn = d + math.ceil(29.5 * (m - 1)) + (y - 1) * 354 + (3 + 11 * y) // 30 + 1948439
    return _dt.date.fromordinal(jdn - 1721425)


_MIN_GREGORIAN = 1700  # a numeric date with a smaller year is another calendar's (Hijri 1445)
_NUM_DMY = re.compile(rf"({_DIG}{{1,2}})\s*[/.\-ـ]\s*({_DIG}{{1,2}})\s*[/.\-ـ]\s*({_DIG}{{4}})(?!{_DIG})")
_NUM_YMD = re.compile(rf"(?<!{_DIG})({_DIG}{{4}})[/.\-]({_DIG}{{1,2}})[/.\-]({_DIG}{{1,2}})(?!{_DIG})")


def _numeric(body: str):
    """The value of numeric dates (d/m/y, d-m-y, y-m-d; two of them are a range), False for an
    impossible date, None when the body has none."""
    found = []
    for m in _NUM_YMD.finditer(body):
        y, mo, d = (_to_int(x) for x in m.groups())
        found.append((m.start(), y, _ymd(y, mo, d)))
    body = _NUM_YMD.sub(" ", body)
    for m in _NUM_DMY.finditer(body):
        d, mo, y = (_to_int(x) for x in m.groups())
        found.append((m.start(), y, _ymd(y, mo, d)))
    if not found:
        return None
    if any(y < _MIN_GREGORIAN for _, y, _ in found):  # a Hijri year (1436)
        conv = [_hijri_to_gregorian(y, d.month, d.day) if d else None for _, y, d in found]
        if len(conv) == 1 and conv[0]:
            return conv[0].isoformat()
        return ""  # a date, but no single Gregorian value
    found = [(i, d) for i, _, d in found]
    dates = [d for _, d in sorted(found, key=lambda x: x[0])]
    if not all(dates):
        return False
    return dates[0].isoformat() if len(dates) == 1 else f"{dates[0].isoformat()}/{dates[-1].isoformat()}"


def _parts(g: DateGrammar, span: str) -> list[str]:
    """The ways of writing one date that a span joins (``X الموافق Y``, ``X (Y)``); brackets around a
    month name alone (``آذار (مارس)``) are only spelling and do not split."""
    def split_brackets(m: re.Match) -> str:
        inner = m.group(1)
        if re.search(_DIG, inner) or g.weekday_re.search(inner) or g.relative_re.search(inner):
            return "\x00" + inner + "\x00"
        return " " + inner + " "
    span = re.sub(r"\(([^()]*)\)", split_brackets, span)
    return [p for part in g.join_re.split(span) for p in part.split("\x00") if p.strip()]


def _mi(y: int, m: int) -> int:
    return y * 12 + m - 1


def _year_for(month: int, doc_y: int, doc_m: int | None, off: int | None, has_day: bool) -> int:
    """Year of a month written without one, by the guide's section 4."""
    if doc_m is None:
        return doc_y
    if off is None:  # the document's year, the year before if that is more than six months ahead
        return doc_y - 1 if _mi(doc_y, month) - _mi(doc_y, doc_m) > 6 else doc_y
    if off == 0:
        return doc_y
    y = doc_y
    if off < 0:  # the last such month before the document month (or that month, for a day in it)
        while _mi(y, month) > _mi(doc_y, doc_m) or (not has_day and _mi(y, month) == _mi(doc_y, doc_m)):
            y -= 1
        return y
    while _mi(y, month) < _mi(doc_y, doc_m) or (not has_day and _mi(y, month) == _mi(doc_y, doc_m)):
        y += 1
    return y


def _part_value(g: DateGrammar, part: str, doc_date: str | None) -> str | None:
    doc_y, doc_m, doc_day = _parse_doc_date(doc_date)
    body = g.time_re.sub(" ", part)
    num = _numeric(body)
    if num is not None:
        return num or None
    hm = g.other_month_re.search(body)
    if hm and not g.month_re.search(g.other_month_re.sub(" ", body)):
        # a Hijri date alone: its Gregorian day when day, month and year are all written
        nums = [_to_int(n) for n in re.findall(rf"{_DIG}+", g.other_month_re.sub(" ", body))]
        hd, hy = [n for n in nums if 0 < n <= 30], [n for n in nums if n >= 100]
        mo = g.hijri_months.get(_key(hm.group()))
        if len(hd) == 1 and len(hy) == 1 and mo and len(nums) == 2:
            dt = _hijri_to_gregorian(hy[0], mo, hd[0])
            return dt.isoformat() if dt else None
        return None
    unit_off: dict[str, int] = {}
    for m in g.scope_re.finditer(body):
        unit, off = g.scopes.get(_key(m.group()), (None, 0))
        if unit:
            unit_off[unit] = off
    body_ns = g.scope_re.sub(" ", body)
    for m in g.unit_qual_re.finditer(body_ns):
        if m.group("det"):
            unit_off.setdefault(g.units.get(_key(m.group("u1")), ""), 0)
        else:
            unit_off.setdefault(g.units.get(_key(m.group("u2")), ""), g.qualifiers.get(_key(m.group("q")), 0))
    rest = g.unit_qual_re.sub(" ", body_ns)
    quals = [g.qualifiers[_key(m.group())] for m in g.qualifier_re.finditer(rest) if _key(m.group()) in g.qualifiers]
    if not quals and any(_key(w) in g.determiners for w in rest.split()):
        quals = [0]
    qual = quals[-1] if quals else None
    months = [g.months.get(_key(m.group()), 0) for m in g.month_re.finditer(rest)]
    months = [m for m in months if m]
    rest = g.month_re.sub(" ", rest)
    days = [g.ordinals[_key(m.group("o"))] for m in g.ordinal_re.finditer(rest) if _key(m.group("o")) in g.ordinals]
    rest = g.ordinal_re.sub(" ", rest)
    nums = [_to_int(n) for n in re.findall(rf"{_DIG}+", rest)]
    days += [n for n in nums if 0 < n <= 31]
    years = [n for n in nums if n >= 1000]
    if len(days) + len(years) < len(nums) - sum(1 for n in nums if n == 0):
        return None
    if months:
        m1, m2 = months[0], months[-1]
        if years:
            y2 = years[-1]
            y1 = years[0] if len(years) == 2 else (y2 - 1 if m1 > m2 else y2)
        else:
            if doc_y is None:
                return None
            if "year" in unit_off:
                y1 = doc_y + unit_off["year"]
            else:
                y1 = _year_for(m1, doc_y, doc_m, qual, bool(days))
            y2 = y1 + 1 if m2 < m1 else y1
        if days:
            if len(days) == 1:  # two month names for one day are one month in two series: the first
                dt = _ymd(years[-1] if years else y1, m1, days[0])
                return dt.isoformat() if dt else None
            a, b = _ymd(y1, m1, days[0]), _ymd(y2, m2, days[1])
            return f"{a.isoformat()}/{b.isoformat()}" if a and b else None
        distinct = list(dict.fromkeys(months))
        if len(distinct) == 1:
            return f"{y1:04d}-{m1:02d}"
        return f"{y1:04d}-{m1:02d}/{y2:04d}-{m2:02d}"
    if days and ("month" in unit_off or (qual == 0 and not years)) and doc_y is not None and doc_m is not None:
        mi = _mi(doc_y, doc_m) + unit_off.get("month", 0)
        y, mo = divmod(mi, 12)
        mo += 1
        dts = [_ymd(y, mo, d) for d in days[:2]]
        if not all(dts):
            return None
        return "/".join(d.isoformat() for d in dts)
    pm = g.period_months_re.search(body) if g.period_months_re is not None else None
    span_months = g.period_months.get(_key(pm.group())) if pm else None
    if span_months and (len(years) == 1 or (not years and "year" in unit_off and doc_y is not None)):
        y = years[0] if years else doc_y + unit_off["year"]
        return f"{y:04d}-{span_months[0]:02d}/{y:04d}-{span_months[1]:02d}"
    if years:
        return str(years[0]) if len(years) == 1 else f"{years[0]}/{years[-1]}"
    if doc_y is not None and unit_off:
        if "year" in unit_off:
            return str(doc_y + unit_off["year"])
        if "month" in unit_off and doc_m is not None:
            y, mo = divmod(_mi(doc_y, doc_m) + unit_off["month"], 12)
            return f"{y:04d}-{mo + 1:02d}"
        return None
    # weekday and/or relative day: resolved against a full document date only
    if doc_day is None:
        return None
    rel = g.relative_re.search(body)
    if rel:
        off = g.relative.get(_key(rel.group()))
        if off is not None:
            return (doc_day + _dt.timedelta(days=off)).isoformat()
    wd = g.weekday_re.search(body)
    if wd:
        iso = g.weekdays.get(_key(wd.group()))
        if iso is not None:
            if qual == 1:
                ahead = (iso - doc_day.isoweekday()) % 7 or 7
                return (doc_day + _dt.timedelta(days=ahead)).isoformat()
            back = (doc_day.isoweekday() - iso) % 7
            if qual == -1 and back == 0:
                back = 7
            return (doc_day - _dt.timedelta(days=back)).isoformat()
    return None


def _specificity(v: str) -> int:
    return len(v.split("/")[0])


def resolve_value(span: str, lang: str, doc_date: str | None = None) -> str | None:
    """ISO 8601 value of a DATE span by the guide's section 4, or None when it is not determined.

    ``doc_date`` (``YYYY-MM``, or ``YYYY-MM-DD`` when the day of publication is
    known) resolves a day and month without a year (the document's year, the
    year before if that lands more than six months after the document month),
    qualifiers (``mars dernier``, ``الشهر الجاري``, ``le 5 courant``) and, with
    a full date only, weekdays and relative days. Of two ways of writing one
    date (``X الموافق Y``), the most specific Gregorian value is kept."""
    g = load_grammar(lang)
    for m in g.range_split_re.finditer(span):
        left, right = span[:m.start()], span[m.end():]
        if not (re.search(_DIG, left) and re.search(_DIG, right)):
            continue
        rv = _joined_value(g, right, doc_date)
        if rv is None:
            continue
        end = rv.split("/")[-1]
        lv = _joined_value(g, left, end[:7] if len(end) >= 7 else doc_date)
        if lv is not None and len(lv.split("/")[0]) == len(end) and lv.split("/")[0] <= end:
            return f"{lv.split('/')[0]}/{end}"
    return _joined_value(g, span, doc_date)


def _joined_value(g: DateGrammar, span: str, doc_date: str | None) -> str | None:
    best: str | None = None
    for part in _parts(g, span):
        v = _part_value(g, part, doc_date)
        if v is not None and (best is None or _specificity(v) >= _specificity(best)):
            best = v
    return best


# ---------------------------------------------------------------- API

def find_dates(text: str, lang: str, doc_date: str | None = None, mode: str = "learned") -> list[Mention]:
    """DATE mentions of ``text`` (flat, in text order) with ISO ``value`` where resolvable.

    ``doc_date`` (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) resolves values (see
    ``resolve_value``). ``mode``: ``"learned"`` (default) keeps the grammar's
    candidates that the shipped keep/drop model accepts (the hand rules when the
    model is absent), ``"grammar"`` the hand rules only, ``"all"`` every candidate."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; use one of {', '.join(MODES)}")
    filt = load_filter() if mode == "learned" else None
    cands = []
    for c in candidates(text, lang):
        if mode == "all":
            keep = True
        elif filt is not None:
            keep = filt.keep(text, lang, c)
        else:
            keep = c.rule_ok
        if keep:
            cands.append(c)
    out = []
    for c in select_flat(cands):
        span = text[c.start:c.end]
        out.append(Mention(start=c.start, end=c.end, text=span, value=resolve_value(span, lang, doc_date),
                           has_value=True))
    return out
