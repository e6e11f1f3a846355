"""DATE value accuracy (the guide's section 4): gold ISO values from a TSV, predicted values on mentions.

The TSV (``hcnews/dev/date_values.tsv``) has one gold DATE mention per line:
document id, offsets, mention text, document date, value (empty when the
mention cannot be resolved without the day of publication). Offsets are either
two columns (``start``, ``end``) or one (``start-end``, ``start:end`` or
``start,end``); a first line naming the columns (``id``, ``start``/``end`` or
``offsets``, ``text``, ``date``, ``value``) is read as the header.

Value accuracy = share of the gold mentions with a value whose predicted DATE
mention with the same span carries the same value; also reported: how many of
those spans were predicted at all, and the accuracy on the predicted ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from ..record import Record
from .metrics import accuracy

__all__ = ["GoldValue", "read_date_values", "score_date_values", "DateValuesError"]


class DateValuesError(ValueError):
    """A date-values file that cannot be read; the message says which line and how to fix it."""


@dataclass
class GoldValue:
    """One gold DATE mention and its ISO value (None: no value)."""

    doc: str
    start: int
    end: int
    text: str
    date: str | None
    value: str | None


_HEADER_NAMES = {"id", "doc", "doc_id", "start", "end", "offsets", "span", "text", "date", "doc_date", "value"}
_OFFSETS = re.compile(r"^\s*(\d+)\s*[-:,]\s*(\d+)\s*$")


def _columns(header: list[str]) -> dict[str, int]:
    names = [h.strip().lower() for h in header]
    alias = {"doc": "id", "doc_id": "id", "span": "offsets", "doc_date": "date"}
    return {alias.get(n, n): i for i, n in enumerate(names)}


def read_date_values(path: str | Path) -> list[GoldValue]:
    """The gold values of a date-values TSV (see the module docstring for the columns)."""
    p = Path(path)
    if not p.is_file():
        raise DateValuesError(f"{p}: no such file; give the date-values TSV (e.g. hcnews/dev/date_values.tsv)")
    lines = [ln.rstrip("\r\n") for ln in p.read_text(encoding="utf-8").splitlines()]
    cols: dict[str, int] | None = None
    out: list[GoldValue] = []
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        f = line.split("\t")
        if cols is None and {x.strip().lower() for x in f} & _HEADER_NAMES \
                and not any(x.strip().isdigit() for x in f):
            cols = _columns(f)
            if "id" not in cols or "value" not in cols or not ({"start", "end"} <= set(cols) or "offsets" in cols):
                raise DateValuesError(f"{p}:{n}: the header must name id, start and end (or offsets), and value; "
                                      f"got {f}")
            continue
        if cols is None:  # no header: id, start, end, text, date, value  or  id, offsets, text, date, value
            cols = ({"id": 0, "start": 1, "end": 2, "text": 3, "date": 4, "value": 5} if len(f) >= 6
                    else {"id": 0, "offsets": 1, "text": 2, "date": 3, "value": 4})
        try:
            if "offsets" in cols:
                m = _OFFSETS.match(f[cols["offsets"]])
                if not m:
                    raise ValueError(f"offsets {f[cols['offsets']]!r} are not start-end")
                start, end = int(m.group(1)), int(m.group(2))
            else:
                start, end = int(f[cols["start"]]), int(f[cols["end"]])
            value = f[cols["value"]].strip() if cols["value"] < len(f) else ""
            text = f[cols["text"]] if "text" in cols and cols["text"] < len(f) else ""
            date = f[cols["date"]].strip() if "date" in cols and cols["date"] < len(f) else ""
        except (ValueError, IndexError) as e:
            raise DateValuesError(f"{p}:{n}: cannot read this line ({e}); expected tab-separated id, start, end, "
                                  f"text, date, value") from None
        out.append(GoldValue(f[cols["id"]].strip(), start, end, text, date or None, value or None))
    return out


def score_date_values(values: Iterable[GoldValue], pairs: Sequence[tuple[Record, Record]],
                      limit_errors: int = 200) -> dict:
    """Value accuracy overall and per gold language: ``{overall, by_lang, errors, warnings}``.

    ``pairs`` are (gold, predicted) records; a value whose document is not among
    them is skipped with a warning, as is one whose offsets do not hold its text."""
    by_id = {g.id: (g, p) for g, p in pairs}
    counts: dict[str, list[int]] = {}  # lang -> [with value, span found, correct]
    errors: list[dict] = []
    warnings: list[str] = []
    for v in values:
        if v.value is None:
            continue
        if v.doc not in by_id:
            warnings.append(f"date value of document {v.doc!r} skipped: no such document in the gold records")
            continue
        g, p = by_id[v.doc]
        if v.text and g.text[v.start:v.end] != v.text:
            warnings.append(f"date value of {v.doc!r} at {v.start}-{v.end}: the gold text there is "
                            f"{g.text[v.start:v.end]!r}, not {v.text!r}; scored by offsets")
        c = counts.setdefault(g.lang, [0, 0, 0])
        c[0] += 1
        pred = next((m for e in p.entities if e.label == "DATE" for m in e.mentions
                     if m.start == v.start and m.end == v.end), None)
        if pred is not None:
            c[1] += 1
            if pred.value == v.value:
                c[2] += 1
                continue
        if len(errors) < limit_errors:
            errors.append({"doc": v.doc, "lang": g.lang, "start": v.start, "end": v.end,
                           "text": g.text[v.start:v.end], "gold": v.value,
                           "pred": None if pred is None else pred.value, "span_found": pred is not None})

    def block(c: list[int]) -> dict:
        return {**accuracy(c[2], c[0]), "span_found": c[1],
                "accuracy_on_found": c[2] / c[1] if c[1] else None}

    total = [sum(c[i] for c in counts.values()) for i in range(3)]
    return {"overall": block(total), "by_lang": {lang: block(c) for lang, c in sorted(counts.items())},
            "errors": errors, "warnings": warnings}
