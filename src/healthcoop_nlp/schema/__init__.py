"""The record JSON schema shipped with the package, and validation against it."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterator

from ..record import check_date

__all__ = ["record_schema", "validate_record", "validate_jsonl", "SchemaError"]


class SchemaError(ValueError):
    """A record does not follow ``record.schema.json``."""


@lru_cache(maxsize=1)
def record_schema() -> dict[str, Any]:
    """The JSON schema that gold records and extractor output both follow."""
    return json.loads(resources.files(__name__).joinpath("record.schema.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def _validator():
    import jsonschema

    return jsonschema.Draft202012Validator(record_schema())


def validate_record(d: dict[str, Any]) -> None:
    """Raise SchemaError naming every violation of ``record.schema.json`` and of the rules
    it cannot express (the annotation contract's, which ``evaluate`` relies on): spans
    with ``0 <= start < end <= len(text)`` and ``text[start:end]`` as their text,
    entity and event ids unique in the record, argument ids that exist, the document
    ``date`` as YYYY-MM or YYYY-MM-DD and a DATE ``value`` as ISO 8601 (YYYY-MM-DD,
    YYYY-MM, YYYY or START/END)."""
    if not isinstance(d, dict):
        raise SchemaError(f"a record is a JSON object, not {type(d).__name__}")
    problems = [f"{'/'.join(map(str, e.path)) or '<root>'}: {e.message}" for e in _validator().iter_errors(d)]
    if not problems:
        problems = _contract_problems(d)
    if problems:
        rid = d.get("id", "?")
        raise SchemaError(f"record {rid!r} does not follow record.schema.json: " + "; ".join(problems))


_ISO = r"[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?"
_VALUE = re.compile(f"^{_ISO}(/{_ISO})?$")


def _span_problem(text: str, what: str, sp: dict[str, Any]) -> str | None:
    s, e, n = sp["start"], sp["end"], len(text)
    if e < s:
        return f"{what} has reversed offsets [{s}:{e}] (end before start)"
    if e == s:
        return f"{what} is empty ([{s}:{e}]); a span covers at least one character"
    if e > n:
        return f"{what} [{s}:{e}] ends after the end of the text (length {n})"
    if text[s:e] != sp["text"]:
        return f"{what} [{s}:{e}] is {text[s:e]!r} in the text, not {sp['text']!r}"
    return None


def _contract_problems(d: dict[str, Any]) -> list[str]:
    text, problems = d["text"], []
    if d.get("date") is not None:
        try:
            check_date(d["date"])
        except ValueError as e:
            problems.append(f"date: {e}")
    ids: set[str] = set()
    for e in d["entities"]:
        if e["id"] in ids:
            problems.append(f"entity id {e['id']!r} is used twice; entity ids must be unique in a record")
        ids.add(e["id"])
        for m in e["mentions"]:
            p = _span_problem(text, f"entity {e['id']}: mention", m)
            if p:
                problems.append(p)
            v = m.get("value")
            if v is not None and not _VALUE.match(v):
                problems.append(f"entity {e['id']}: mention value {v!r} is not ISO 8601 "
                                "(YYYY-MM-DD, YYYY-MM, YYYY or START/END)")
    event_ids: set[str] = set()
    for ev in d["events"]:
        if ev["id"] in event_ids:
            problems.append(f"event id {ev['id']!r} is used twice; event ids must be unique in a record")
        event_ids.add(ev["id"])
        for t in ev["triggers"]:
            p = _span_problem(text, f"event {ev['id']}: trigger", t)
            if p:
                problems.append(p)
        for a in ev["arguments"]:
            if a["entity"] not in ids:
                problems.append(f"event {ev['id']}: argument {a['role']} points to unknown entity {a['entity']!r}")
    return problems


def validate_jsonl(path: str | Path) -> Iterator[tuple[int, str | None]]:
    """Each non-blank line of a JSONL file of records: (line number, problem or None).
    OSError when the file cannot be opened; a line that is not UTF-8 or not JSON is a problem."""
    with open(path, "rb") as f:
        for lineno, raw in enumerate(f, 1):
            try:
                line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError as e:
                yield lineno, f"not valid UTF-8 (byte 0x{raw[e.start]:02x} at column {e.start + 1})"
                continue
            if not line.strip():
                continue
            try:
                validate_record(json.loads(line))
            except json.JSONDecodeError as e:
                yield lineno, f"not valid JSON: {e.msg} (column {e.colno})"
            except SchemaError as e:
                yield lineno, str(e)
            else:
                yield lineno, None
