"""JSONL writers for records and document errors: appended, flushed line by line."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import IO, Iterator

from ..record import Record
from .errors import DocumentError, InputError

__all__ = ["JsonlWriter", "read_records", "existing_ids", "errors_path"]


def errors_path(output: str | Path) -> Path:
    """``OUT.jsonl`` -> ``OUT.errors.jsonl``."""
    p = Path(output)
    stem = p.name[:-len(".jsonl")] if p.name.endswith(".jsonl") else p.name
    return p.with_name(stem + ".errors.jsonl")


class JsonlWriter:
    """Appends one JSON object per line and flushes it, so a killed run loses at most one line."""

    def __init__(self, path: str | Path | None, append: bool = False):
        self.path = path
        self._f: IO[str] | None = None
        if path is not None:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            if append:
                _truncate_partial_last_line(Path(path))
            self._f = open(path, "a" if append else "w", encoding="utf-8")

    def write(self, item: Record | DocumentError | dict) -> None:
        if self._f is None:
            return
        d = item.to_dict() if hasattr(item, "to_dict") else item
        self._f.write(json.dumps(d, ensure_ascii=False) + "\n")
        self._f.flush()

    def close(self) -> None:
        if self._f is not None:
            self._f.flush()
            os.fsync(self._f.fileno())
            self._f.close()
            self._f = None

    def __enter__(self) -> "JsonlWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _truncate_partial_last_line(path: Path) -> None:
    """Drop a last line cut short by a kill, so appending never glues two records."""
    if not path.exists() or path.stat().st_size == 0:
        return
    with open(path, "rb+") as f:
        f.seek(0, os.SEEK_END)
        size = f.tell()
        f.seek(max(0, size - 1))
        if f.read(1) == b"\n":
            return
        # walk back to the previous newline
        pos = size
        chunk = 65536
        while pos > 0:
            step = min(chunk, pos)
            f.seek(pos - step)
            buf = f.read(step)
            i = buf.rfind(b"\n")
            if i >= 0:
                f.truncate(pos - step + i + 1)
                return
            pos -= step
        f.truncate(0)


def existing_ids(path: str | Path) -> set[str]:
    """Ids of the complete records already in a JSONL output (for ``--resume``)."""
    ids: set[str] = set()
    p = Path(path)
    if not p.exists():
        return ids
    with open(p, encoding="utf-8") as f:
        for line in f:
            if not line.endswith("\n"):
                break  # a partial last line from a killed run: not written
            try:
                ids.add(json.loads(line)["id"])
            except (json.JSONDecodeError, KeyError, TypeError):
                continue
    return ids


def read_records(path: str | Path) -> Iterator[Record]:
    """Records from a JSONL file, raising InputError with file and line for a bad one."""
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
            except json.JSONDecodeError as e:
                raise InputError(str(path), f"not valid JSON ({e.msg} at column {e.colno})", line=lineno) from None
            try:
                yield Record.from_dict(d)
            except (KeyError, TypeError, ValueError) as e:
                raise InputError(str(path), f"not a record of record.schema.json (missing or bad field {e}); "
                                            "check it with `healthcoop-nlp validate`", line=lineno) from None
