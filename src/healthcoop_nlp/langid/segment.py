"""Language segments of a text: sentences, split again where the writing system changes.

A French sentence quoting a long Arabic passage gives three segments (French,
Arabic, French); a short run in another script (an acronym such as ``OMS`` in
an Arabic sentence, a one-word name) stays inside its sentence. Offsets are
``str`` indices into the raw text; segments never start or end with
whitespace.

A sentence longer than ``MAX_SEGMENT_CHARS`` (a page without punctuation, a
megabyte without a space) is first cut into windows of at most that many
characters, at the last space of a window when it has one, so that the work
per segment is bounded and language ID stays linear in the length of the
text (lingua is quadratic on one long token).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..text.tokenize import sentences

__all__ = ["ScriptRun", "script_runs", "segments", "scripted_segments", "script_of", "has_letter", "windows",
           "MIN_RUN_LETTERS", "MIN_RUN_WORDS", "MAX_SEGMENT_CHARS"]

# A run in another script splits a sentence only when it has at least this many
# letters and words (a quoted clause, not an acronym or a single name).
MIN_RUN_LETTERS = 12
MIN_RUN_WORDS = 3
# No segment is longer than this (see the module docstring); lingua's test sentences are at most 466
# characters, a news sentence rarely over 600.
MAX_SEGMENT_CHARS = 1000
# A window with more script runs than this (letters of two scripts interleaved, not prose) is one segment
# of its main script: folding runs one by one costs the square of their number.
MAX_RUNS = 64

_ARAB = "\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF"
_HEBR = "\u0590-\u05FF\uFB1D-\uFB4F"
_CYRL = "\u0400-\u052F"
_GREK = "\u0370-\u03FF\u1F00-\u1FFF"
_LATN = "A-Za-z\u00AA\u00BA\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u1E00-\u1EFF"
_GAP = r"[\W\d_]+"  # anything but a letter: spaces, punctuation, digits, combining marks


def _stretch(letters: str) -> str:
    # From a letter of the script to the last letter of the script before a letter of another one.
    return rf"[{letters}]+(?:{_GAP}[{letters}]+)*"


# One stretch of a single script; an Arabic stretch keeps its diacritics, tatweel and Arabic punctuation.
_RUN = re.compile(
    rf"(?P<Arab>{_stretch(_ARAB)})"
    rf"|(?P<Latn>[{_LATN}](?:[{_LATN}\u0300-\u036F]|{_GAP}(?=[{_LATN}]))*)"
    rf"|(?P<Hebr>{_stretch(_HEBR)})"
    rf"|(?P<Cyrl>{_stretch(_CYRL)})"
    rf"|(?P<Grek>{_stretch(_GREK)})"
    r"|(?P<Other>[^\W\d_]+)"
)
# What is not a letter inside a stretch (tatweel is a "letter" for str.isalpha but not here).
_NOT_LETTER = re.compile(r"[\W\d_\u0640]")
_ANY_LETTER = re.compile(r"[^\W\d_]")
_LETTER = re.compile(r"[^\W\d_\u0640]")
# A letter outside one script's run pattern: when a text has none, all its letters are in that script.
_OUTSIDE = {"Arab": re.compile(rf"[^\W\d_{_ARAB}]"), "Latn": re.compile(rf"[^\W\d_{_LATN}]")}
_SCRIPT_OF_FIRST = {"Arab": re.compile(rf"[{_ARAB}]"), "Latn": re.compile(rf"[{_LATN}]")}


@dataclass
class ScriptRun:
    """A stretch of one writing system: ``text[start:end]`` from its first to its last letter.

    ``counts`` holds letters per script (several once short runs are merged
    into a neighbour); ``script`` is the one with most letters.
    """

    script: str
    start: int
    end: int
    letters: int
    words: int
    counts: dict[str, int]


def script_runs(text: str, start: int = 0, end: int | None = None) -> list[ScriptRun]:
    """Maximal stretches of one script within ``text[start:end]`` (no merging)."""
    end = len(text) if end is None else end
    runs: list[ScriptRun] = []
    for m in _RUN.finditer(text, start, end):
        chunk = m.group()
        n = len(chunk) - len(_NOT_LETTER.findall(chunk))
        if n == 0:
            continue
        script = m.lastgroup or "Other"
        if runs and runs[-1].script == script:  # e.g. two "Other" words
            r = runs[-1]
            r.end, r.letters, r.words = m.end(), r.letters + n, r.words + len(chunk.split())
            r.counts[script] += n
        else:
            runs.append(ScriptRun(script, m.start(), m.end(), n, len(chunk.split()), {script: n}))
    return runs


def has_letter(text: str) -> bool:
    """True when ``text`` has at least one letter (of any script)."""
    return _ANY_LETTER.search(text) is not None


def script_of(text: str) -> tuple[str | None, int]:
    """The script with the most letters in ``text`` and the number of letters (None, 0 without letters)."""
    counts: dict[str, int] = {}
    for r in script_runs(text):
        counts[r.script] = counts.get(r.script, 0) + r.letters
    if not counts:
        return None, 0
    best = max(counts, key=counts.__getitem__)
    return best, sum(counts.values())


def _merge_short(runs: list[ScriptRun]) -> list[ScriptRun]:
    """Fold runs too short to stand alone into their neighbours, then join same-script neighbours."""
    runs = [ScriptRun(r.script, r.start, r.end, r.letters, r.words, dict(r.counts)) for r in runs]
    while len(runs) > 1:
        short = [i for i, r in enumerate(runs) if r.letters < MIN_RUN_LETTERS or r.words < MIN_RUN_WORDS]
        if not short:
            break
        i = min(short, key=lambda k: runs[k].letters)  # the weakest run goes first
        r = runs[i]
        left = runs[i - 1] if i > 0 else None
        right = runs[i + 1] if i + 1 < len(runs) else None
        target = left if right is None or (left is not None and left.letters >= right.letters) else right
        target.start, target.end = min(target.start, r.start), max(target.end, r.end)
        target.letters += r.letters
        target.words += r.words
        for k, v in r.counts.items():
            target.counts[k] = target.counts.get(k, 0) + v
        del runs[i]
        # neighbours now of the same script become one run
        j = 0
        while j + 1 < len(runs):
            a, b = runs[j], runs[j + 1]
            if a.script == b.script:
                a.end, a.letters, a.words = b.end, a.letters + b.letters, a.words + b.words
                for k, v in b.counts.items():
                    a.counts[k] = a.counts.get(k, 0) + v
                del runs[j + 1]
            else:
                j += 1
    return runs


def _is_opening(chunk: str) -> bool:
    c = chunk[0]
    return unicodedata.category(c) in ("Ps", "Pi") or c in "\"'"


def _boundary(text: str, prev_end: int, next_start: int) -> int:
    """Where to cut between a run ending at ``prev_end`` and one starting at ``next_start``.

    Closing punctuation after the first run stays with it; an opening bracket
    or quote before the second run goes with the second; a word glued to the
    second run's first letter (digits, hyphens) goes with it too.
    """
    cut = next_start
    while cut > prev_end and not text[cut - 1].isspace():
        cut -= 1
    if cut == prev_end:  # no space between the runs (e.g. "OMS-الصحة"): cut at the script change
        return next_start
    for m in re.finditer(r"\S+", text[prev_end:cut]):
        if _is_opening(m.group()):
            return prev_end + m.start()
    return cut


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def scripted_segments(text: str) -> list[tuple[int, int, str | None, int]]:
    """Segments as (start, end, main script or None, letter count), in order, whitespace trimmed."""
    script = _single_script(text)
    if script is not None:  # every sentence is one segment of that script: no runs to find or merge
        out: list[tuple[int, int, str | None, int]] = []
        for s, e in windows(text, sentences(text)):
            n = len(_LETTER.findall(text, s, e))
            out.append((s, e, script, n) if n else (s, e, None, 0))
        return out
    return _scripted_segments_general(text)


def _single_script(text: str) -> str | None:
    """"Arab" or "Latn" when every letter of ``text`` is of that script; None otherwise (or without letters)."""
    first = _ANY_LETTER.search(text)
    if first is None:
        return None
    for script, pattern in _SCRIPT_OF_FIRST.items():
        if pattern.match(first.group()):
            return script if _OUTSIDE[script].search(text, first.start()) is None else None
    return None


def _scripted_segments_general(text: str) -> list[tuple[int, int, str | None, int]]:
    out: list[tuple[int, int, str | None, int]] = []
    for s, e in windows(text, sentences(text)):
        runs = script_runs(text, s, e)
        if len(runs) > MAX_RUNS:
            counts: dict[str, int] = {}
            for r in runs:
                counts[r.script] = counts.get(r.script, 0) + r.letters
            out.append((s, e, max(counts, key=counts.__getitem__), sum(counts.values())))
            continue
        runs = _merge_short(runs)
        if not runs:
            out.append((s, e, None, 0))
            continue
        if len(runs) == 1:
            r = runs[0]
            out.append((s, e, max(r.counts, key=r.counts.__getitem__), r.letters))
            continue
        cuts = [s] + [_boundary(text, a.end, b.start) for a, b in zip(runs, runs[1:])] + [e]
        for r, a, b in zip(runs, cuts, cuts[1:]):
            a, b = _trim(text, a, b)
            if a < b:
                out.append((a, b, max(r.counts, key=r.counts.__getitem__), r.letters))
    return out


def windows(text: str, spans: list[tuple[int, int]], max_chars: int = MAX_SEGMENT_CHARS) -> list[tuple[int, int]]:
    """``spans`` with each one longer than ``max_chars`` cut into consecutive windows of at most
    ``max_chars`` characters, whitespace trimmed, none empty. A window ends at its last whitespace
    in its second half; without one it is cut at ``max_chars`` (moved back before combining marks,
    which stay with their letter)."""
    if max_chars < 2:
        raise ValueError("max_chars must be at least 2")
    out: list[tuple[int, int]] = []
    for s, e in spans:
        while e - s > max_chars:
            limit = s + max_chars
            cut = limit
            while cut > s + max_chars // 2 and not text[cut].isspace():
                cut -= 1
            if not text[cut].isspace():
                cut = limit
                while cut > s + 1 and unicodedata.combining(text[cut]):
                    cut -= 1
            a, b = _trim(text, s, cut)
            if a < b:
                out.append((a, b))
            s, _ = _trim(text, cut, e)
        if s < e:
            out.append((s, e))
    return out


def segments(text: str) -> list[tuple[int, int]]:
    """Spans (start, end) of the text's language segments, in order, whitespace trimmed, none empty."""
    return [(s, e) for s, e, _, _ in scripted_segments(text)]
