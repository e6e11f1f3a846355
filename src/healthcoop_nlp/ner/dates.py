"""DATE mentions for any language whose date words are listed in ``data/<lang>/dates.yaml``.

``find_dates(text, lang, doc_date)`` returns flat DATE mentions with raw
offsets and, where the expression (or the document date) determines it, an
ISO 8601 ``value``: ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or ``START/END``.
Following the annotation guide, a leading preposition (``le``, ``du``,
``en``, ``في``) and an attached Arabic proclitic (``و``, ``ب``...) are outside
the span; weekday, day, month, year, the ``au`` of a range and a dateline's
time of day are inside. Durations are never matched: a number needs a month
name, a year needs a cue word, a weekday or relative day is a single word.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from ..paths import data_path
from ..record import Mention
from ..text.normalize import normalize

__all__ = ["find_dates", "DateGrammar", "load_grammar"]

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
    year_cues: set[str]
    year_not_after: set[str]
    patterns: list[tuple[str, re.Pattern[str]]]
    month_re: re.Pattern[str]
    weekday_re: re.Pattern[str]
    relative_re: re.Pattern[str]
    year_word_re: re.Pattern[str] | None
    month_word_re: re.Pattern[str] | None
    time_re: re.Pattern[str]
    bare_month_lowercase: bool
    bare_month_needs_word: bool
    relative_not_before: tuple[str, ...]
    future_after: tuple[str, ...] = ()


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


def _alt(words: list[str], fold: dict[str, str]) -> str:
    """Regex alternation of words, longest first; ``(?!x)`` when empty."""
    words = sorted(set(words), key=len, reverse=True)
    return "(?:" + "|".join(_word_re(w, fold) for w in words) + ")" if words else "(?!x)x"


def _opt_words(words: list[str], fold: dict[str, str]) -> str:
    return f"(?:{_alt(words, fold)}\\s+)?" if words else ""


@lru_cache(maxsize=None)
def load_grammar(lang: str) -> DateGrammar:
    """The compiled date grammar of ``lang`` from ``data/<lang>/dates.yaml``."""
    path = data_path(lang, "dates.yaml")
    if not path.is_file():
        raise FileNotFoundError(
            f"no date words for language {lang!r}: expected {path} (copy data/fr/dates.yaml and translate it)")
    cfg: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    fold = {k: v for k, v in (cfg.get("fold") or {}).items()}
    months = {str(k): int(v) for k, v in cfg["months"].items()}
    weekdays = {str(k): int(v) for k, v in cfg["weekdays"].items()}
    relative = {str(k): int(v) for k, v in (cfg.get("relative_days") or {}).items()}

    MON = _alt(list(months), fold)
    WDN = _alt(list(weekdays), fold)
    REL = _alt(list(relative), fold)
    DET = _alt([str(w) for w in cfg.get("weekday_determiners") or []], fold)
    WDW = _opt_words([str(w) for w in cfg.get("weekday_words") or []], fold)
    MW = _opt_words([str(w) for w in cfg.get("month_words") or []], fold)
    YW = _opt_words([str(w) for w in cfg.get("year_words") or []], fold)
    ysuf = [str(w) for w in cfg.get("year_suffixes") or []]
    YSUF = f"(?:{_alt(ysuf, fold)})?" if ysuf else ""
    dsuf = [str(w) for w in cfg.get("day_suffixes") or []]
    DSUF = f"(?:{_alt(dsuf, fold)})?" if dsuf else ""
    CONN_W = _alt([str(w) for w in cfg.get("range_connectors") or []], fold)
    ART = _opt_words([str(w) for w in cfg.get("range_articles") or []], fold)
    TCONN = _alt([str(w) for w in cfg.get("time_connectors") or []], fold)
    pro = str(cfg.get("proclitics") or "")
    conj = "".join(c for c in str(cfg.get("conjunctions") or "") if c in pro)
    prep = "".join(c for c in pro if c not in conj)

    SEP = r"\s*[,،]?\s*"
    CONN = rf"\s*{CONN_W}\s*{ART}"
    D = rf"{_DIG}{{1,2}}{DSUF}"
    M = rf"{MON}(?:\s*[/\-–]\s*{MON})?"
    Y = rf"{_DIG}{{4}}{YSUF}"
    YY = rf"{YW}{Y}"
    WD = rf"{WDW}{WDN}"
    PRE = rf"(?:(?:{DET}|{REL})\s+)?{WD}{SEP}"
    TIME = rf"(?:{SEP}{TCONN}\s*{_DIG}{{1,2}}\s*[:h]\s*{_DIG}{{2}})"
    WDC = rf"(?:{WDN}\s+)?"  # a weekday may open the second end of a range
    DAYDATE = (rf"(?:{D}{SEP}{M}(?:{SEP}{YY})?{CONN}{WDC}{D}{SEP}{M}(?:{SEP}{YY})?"
               rf"|{D}(?:{CONN}{WDC}{D})?{SEP}{M}(?:{SEP}{YY})?)")
    body = {
        "daydate": rf"(?:{PRE})?{DAYDATE}{TIME}?",
        "numeric": rf"(?:{PRE})?{_DIG}{{1,2}}[/.]{_DIG}{{1,2}}[/.]{_DIG}{{4}}",
        "weekday": rf"(?:(?:{DET}|{REL})\s+)?{WD}",
        "relative": REL,
        "month": rf"{MW}{M}(?:{CONN}{MON})?(?:{SEP}{YY})?",
        "year": rf"{YY}(?:{CONN}{Y})?",
    }
    lead = rf"(?<!{_W})"
    if conj:
        lead += rf"(?:[{re.escape(conj)}](?={_W}))?"
    if prep:
        lead += rf"(?:[{re.escape(prep)}](?={_W}))?"
    # "لل" + noun: the proclitic is the first ل, the span starts at the second.
    patterns = [
        (name, re.compile(rf"{lead}(?P<s>{b})(?!{_W})", re.IGNORECASE)) for name, b in body.items()
    ]
    ywords = [str(w) for w in cfg.get("year_words") or []]
    mwords = [str(w) for w in cfg.get("month_words") or []]
    return DateGrammar(
        lang=lang, months={_key(k): v for k, v in months.items()},
        weekdays={_key(k): v for k, v in weekdays.items()},
        relative={_key(k): v for k, v in relative.items()},
        year_cues={_key(str(w)) for w in cfg.get("year_cues") or []},
        year_not_after={_key(str(w)) for w in cfg.get("year_not_after") or []},
        patterns=patterns,
        month_re=re.compile(rf"(?<!{_W}){MON}(?!{_W})", re.IGNORECASE),
        weekday_re=re.compile(rf"(?<!{_W}){WDN}(?!{_W})", re.IGNORECASE),
        relative_re=re.compile(rf"(?<!{_W}){REL}(?!{_W})", re.IGNORECASE),
        year_word_re=re.compile(_alt(ywords, fold), re.IGNORECASE) if ywords else None,
        month_word_re=re.compile(_alt(mwords, fold), re.IGNORECASE) if mwords else None,
        time_re=re.compile(TIME, re.IGNORECASE),
        bare_month_lowercase=bool(cfg.get("bare_month_lowercase", False)),
        bare_month_needs_word=bool(cfg.get("bare_month_needs_word", False)),
        relative_not_before=tuple(str(w) for w in cfg.get("relative_not_before") or []),
        future_after=tuple(_key(str(w)) for w in cfg.get("future_after") or []),
    )


_NEXT_WORD = re.compile(r"\s+([\w'’]+)")
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


def _keep(g: DateGrammar, kind: str, text: str, start: int, end: int) -> bool:
    span = text[start:end]
    if kind == "year":
        nums = [_to_int(n) for n in re.findall(rf"{_DIG}+", span)]
        if not all(1800 <= n <= 2100 for n in nums):
            return False
        if len(nums) == 2 and nums[1] <= nums[0]:
            return False
        has_word = g.year_word_re is not None and g.year_word_re.match(text, start) is not None
        return has_word or len(nums) == 2 or _has_year_cue(g, text, start)
    if kind == "month" and not re.search(rf"{_DIG}", span):
        has_word = g.month_word_re is not None and g.month_word_re.match(text, start) is not None
        if g.bare_month_needs_word and not has_word:
            return False
        if g.bare_month_lowercase and not has_word and span != span.lower():
            return False
    if kind == "relative" and g.relative_not_before:
        nxt = text[end:end + 20].lstrip()
        if nxt.startswith(g.relative_not_before):
            return False
    if kind in ("daydate", "numeric"):
        return _value(g, span, None, check=True) is not None
    return True


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


def _value(g: DateGrammar, span: str, doc_date: str | None, check: bool = False, future: bool = False) -> str | None:
    """ISO 8601 value of a matched span, or None when not determined.

    With ``check=True`` returns a non-None marker when the span's numbers form a
    valid calendar date (used to reject ``31 février`` or ``45 mars``)."""
    doc_y, doc_m, doc_day = _parse_doc_date(doc_date)
    body = g.time_re.sub("", span)
    numeric = re.fullmatch(rf".*?({_DIG}{{1,2}})[/.]({_DIG}{{1,2}})[/.]({_DIG}{{4}})", body, re.S)
    if numeric:
        d, mo, y = (_to_int(x) for x in numeric.groups())
        dt = _ymd(y, mo, d)
        return dt.isoformat() if dt else None
    months = []
    for mm in g.month_re.finditer(body):
        months.append(g.months.get(_key(mm.group()), 0))
    rest = g.month_re.sub(" ", body)
    nums = [_to_int(n) for n in re.findall(rf"{_DIG}+", rest)]
    days = [n for n in nums if n <= 31 and n > 0]
    years = [n for n in nums if n >= 1000]
    if len(days) + len(years) != len(nums):
        return None
    if check:
        if not months or len(days) > 2:
            return None
        for i, d in enumerate(days):
            mo = months[min(i, len(months) - 1)]
            if _ymd(2024, mo, d) is None:  # 2024 is a leap year: 29 February is valid
                return None
        return "ok"
    if days:
        if len(days) == 1:
            mo = months[0]
            y = years[-1] if years else doc_y
            if y is None:
                return None
            dt = _ymd(y, mo, days[0])
            return dt.isoformat() if dt else None
        m1, m2 = months[0], months[-1]
        y2 = years[-1] if years else doc_y
        if y2 is None:
            return None
        y1 = years[0] if len(years) == 2 else (y2 - 1 if m1 > m2 else y2)
        a, b = _ymd(y1, m1, days[0]), _ymd(y2, m2, days[1])
        return f"{a.isoformat()}/{b.isoformat()}" if a and b else None
    if months:
        distinct = list(dict.fromkeys(months))
        if not years:
            return None
        y = years[-1]
        if len(distinct) == 1:
            return f"{y:04d}-{distinct[0]:02d}"
        y1 = y - 1 if distinct[0] > distinct[-1] else y
        return f"{y1:04d}-{distinct[0]:02d}/{y:04d}-{distinct[-1]:02d}"
    if years:
        return str(years[0]) if len(years) == 1 else f"{years[0]}/{years[1]}"
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
            if future:
                ahead = (iso - doc_day.isoweekday()) % 7 or 7
                return (doc_day + _dt.timedelta(days=ahead)).isoformat()
            back = (doc_day.isoweekday() - iso) % 7
            return (doc_day - _dt.timedelta(days=back)).isoformat()
    return None


def find_dates(text: str, lang: str, doc_date: str | None = None) -> list[Mention]:
    """DATE mentions of ``text`` (flat, in text order) with ISO ``value`` where resolvable.

    ``doc_date`` (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) supplies the year of a
    ``23 février`` and, when it is a full date, resolves ``hier`` or ``lundi``
    (the most recent such weekday on or before the document date)."""
    g = load_grammar(lang)
    cands: list[tuple[int, int, str]] = []
    for kind, pat in g.patterns:
        for m in pat.finditer(text):
            s, e = m.start("s"), m.end("s")
            if _keep(g, kind, text, s, e):
                cands.append((s, e, kind))
    # longest first, then leftmost; keep non-overlapping
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    chosen: list[tuple[int, int, str]] = []
    for c in cands:
        if all(c[1] <= o[0] or o[1] <= c[0] for o in chosen):
            chosen.append(c)
    chosen.sort()
    out = []
    for s, e, _ in chosen:
        span = text[s:e]
        nxt = _NEXT_WORD.match(text, e)
        future = bool(nxt) and _key(nxt.group(1)) in g.future_after
        out.append(Mention(start=s, end=e, text=span, value=_value(g, span, doc_date, future=future), has_value=True))
    return out
