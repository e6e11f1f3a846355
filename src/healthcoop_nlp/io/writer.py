"""JSONL writers for records and document errors: appended, flushed line by line."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path
from typing import IO, Iterator

from ..record import Record
from .errors import DocumentError, InputError, OutputError, UnwritableRecord

__all__ = ["JsonlWriter", "read_records", "existing_ids", "errors_path", "check_output", "json_line"]


def errors_path(output: str | Path) -> Path:
    """``OUT.jsonl`` -> ``OUT.errors.jsonl``."""
    p = Path(output)
    stem = p.name[:-len(".jsonl")] if p.name.endswith(".jsonl") else p.name
    return p.with_name(stem + ".errors.jsonl")


def json_line(item: Record | DocumentError | dict, escape_invalid: bool = False) -> str:
    """One JSON line (with its newline) that UTF-8 can encode. A lone surrogate raises
    UnwritableRecord, or with ``escape_invalid`` is written as a ``\\udXXX`` escape
    (for error lines, which must name the bad id as it was given)."""
    d = item.to_dict() if hasattr(item, "to_dict") else item
    line = json.dumps(d, ensure_ascii=False) + "\n"
    try:
        line.encode("utf-8")
    except UnicodeEncodeError as e:
        if escape_invalid:
            return json.dumps(d, ensure_ascii=True) + "\n"
        raise UnwritableRecord(f"the record has a lone surrogate (U+{ord(line[e.start]):04X}), which UTF-8 cannot "
                               "encode; a component wrote a broken string") from None
    return line


class JsonlWriter:
    """Appends one JSON object per line and flushes it, so a killed run loses at most one line.

    OutputError when the file cannot be created or written; UnwritableRecord (nothing
    written) for one record that cannot be encoded."""

    def __init__(self, path: str | Path | None, append: bool = False):
        self.path = path
        self._f: IO[str] | None = None
        if path is not None:
            try:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
                if append:
                    _truncate_partial_last_line(Path(path))
                self._f = open(path, "a" if append else "w", encoding="utf-8")
            except OSError as e:
                raise OutputError(str(path), _os_problem(e)) from None

    def write(self, item: Record | DocumentError | dict) -> None:
        if self._f is None:
            return
        line = json_line(item, escape_invalid=isinstance(item, DocumentError))
        try:
            self._f.write(line)
            self._f.flush()
        except OSError as e:
            raise OutputError(str(self.path), _os_problem(e)) from None

    def close(self) -> None:
        if self._f is not None:
            f, self._f = self._f, None
            try:
                f.flush()
                os.fsync(f.fileno())
            except OSError as e:
                raise OutputError(str(self.path), _os_problem(e)) from None
            finally:
                try:
                    f.close()
                except OSError:
                    pass

    def __enter__(self) -> "JsonlWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _os_problem(e: OSError) -> str:
    """An OSError in words, with what to do."""
    hints = {
        "EACCES": "permission denied; choose a folder you can write to",
        "EROFS": "the file system is read-only; choose another output",
        "EISDIR": "it is a folder; give a file name such as out.jsonl",
        "ENOTDIR": "a part of the path is a file, not a folder; choose another output",
        "EEXIST": "a part of the path is a file, not a folder; choose another output",
        "ENOSPC": "no space left on the device; free some and run again with --resume",
    }
    name = errno.errorcode.get(e.errno or 0, "")
    return hints.get(name, f"{e.strerror or e}; check the path and run again")


def check_output(output: str | Path, files: list[str], inputs: list[str]) -> None:
    """InputError when the output, or its errors file, is one of the input ``files`` or
    lies inside one of the input directories (it would be read back as input, or
    truncated before it is read). Checked before anything is opened."""
    out = Path(output).resolve()
    targets = {out, errors_path(out).resolve()}
    for f in files:
        if f == "-":
            continue
        p = Path(f).resolve()
        if p in targets or (p.exists() and any(t.exists() and os.path.samefile(p, t) for t in targets)):
            raise InputError(str(output), f"the output would overwrite the input {f}; write it to another file")
    for item in inputs:
        if item != "-" and Path(item).is_dir():
            d = Path(item).resolve()
            if out.is_relative_to(d):
                raise InputError(str(output), f"the output is inside the input folder {item}, which is read "
                                              "recursively, so it would be read back as input; write it "
                                              "outside that folder")


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
    with open(p, "rb") as f:
        for line in f:
            if not line.endswith(b"\n"):
                break  # a partial last line from a killed run: not written
            try:
                doc_id = json.loads(line.decode("utf-8"))["id"]
            except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError):
                continue
            if isinstance(doc_id, str):
                ids.add(doc_id)
    return ids


def read_records(path: str | Path) -> Iterator[Record]:
    """Records from a JSONL file, raising InputError with file and line for a bad one
    (an unreadable file, bytes that are not UTF-8, a line that is not JSON or not a record)."""
    try:
        f = open(path, "rb")
    except OSError as e:
        raise InputError(str(path), f"cannot read the file: {e.strerror}") from None
    with f:
        for lineno, raw in enumerate(f, 1):
            try:
                line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError as e:
                raise InputError(str(path), f"not valid UTF-8 (byte 0x{raw[e.start]:02x} at column {e.start + 1}); "
                                            "convert the file to UTF-8", line=lineno) from None
            if not line.strip():
                continue
            try:
                d = json.loads(line)
            except json.JSONDecodeError as e:
                raise InputError(str(path), f"not valid JSON: {e.msg} (column {e.colno})", line=lineno) from None
            try:
                yield Record.from_dict(d)
            except (KeyError, TypeError, ValueError) as e:
                raise InputError(str(path), f"not a record of record.schema.json (missing or bad field {e}); "
                                            "check it with `healthcoop-nlp validate`", line=lineno) from None
