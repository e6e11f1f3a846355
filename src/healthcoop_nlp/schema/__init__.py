"""The record JSON schema shipped with the package, and validation against it."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterator

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
    """Raise SchemaError naming every violation, plus the offset and reference checks
    the schema cannot express (``text[start:end] == span text``, argument ids exist)."""
    problems = [f"{'/'.join(map(str, e.path)) or '<root>'}: {e.message}" for e in _validator().iter_errors(d)]
    if not problems:
        text = d["text"]
        ids = set()
        for e in d["entities"]:
            ids.add(e["id"])
            for m in e["mentions"]:
                if text[m["start"]:m["end"]] != m["text"]:
                    problems.append(f"entity {e['id']}: mention [{m['start']}:{m['end']}] is "
                                    f"{text[m['start']:m['end']]!r} in the text, not {m['text']!r}")
        for ev in d["events"]:
            for t in ev["triggers"]:
                if text[t["start"]:t["end"]] != t["text"]:
                    problems.append(f"event {ev['id']}: trigger [{t['start']}:{t['end']}] is "
                                    f"{text[t['start']:t['end']]!r} in the text, not {t['text']!r}")
            for a in ev["arguments"]:
                if a["entity"] not in ids:
                    problems.append(f"event {ev['id']}: argument {a['role']} points to unknown entity {a['entity']!r}")
    if problems:
        rid = d.get("id", "?") if isinstance(d, dict) else "?"
        raise SchemaError(f"record {rid!r} does not follow record.schema.json: " + "; ".join(problems))


def validate_jsonl(path: str | Path) -> Iterator[tuple[int, str | None]]:
    """Each non-blank line of a JSONL file of records: (line number, problem or None)."""
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                validate_record(json.loads(line))
            except json.JSONDecodeError as e:
                yield lineno, f"not valid JSON ({e.msg})"
            except SchemaError as e:
                yield lineno, str(e)
            else:
                yield lineno, None
