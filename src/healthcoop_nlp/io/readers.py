"""Readers: seed files with a ``date YYYY-MM`` header, plain ``.txt``, JSONL; dirs and globs.

Reading never raises for one bad document: ``read_documents`` yields either a
``Record`` (text, id, date, source; nothing extracted yet) or a ``DocumentError``
naming the file, the line and the problem, so a batch goes on past it.
"""

from __future__ import annotations

import glob
import json
import re
import sys
from pathlib import Path
from typing import Iterable, Iterator

from ..record import Record, check_date, check_id, lone_surrogate
from .errors import DocumentError, InputError

__all__ = ["split_header", "read_text_file", "read_jsonl", "expand_inputs", "resolve_inputs", "read_documents",
           "DEFAULT_MAX_CHARS", "input_of"]

_HEADER = re.compile(r"^\s*date (\d{4}-\d{2})\s+")
DEFAULT_MAX_CHARS = 1_000_000
TEXT_SUFFIXES = {".txt"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}


def split_header(raw: str) -> tuple[str, str | None]:
    """Split the optional `` date YYYY-MM `` header off a seed file: (text, date)."""
    m = _HEADER.match(raw)
    return (raw[m.end():], m.group(1)) if m else (raw, None)


def input_of(record: Record) -> tuple[str | None, int | None]:
    """Where a record was read: (path as given on the command line, line in a JSONL file)."""
    return record.annotations.get("input_path"), record.annotations.get("input_line")


def _check_text(text: str, source: str, doc_id: str, max_chars: int | None, line: int | None = None) -> None:
    i = lone_surrogate(text)
    if i is not None:
        raise InputError(source, f"the text has a lone surrogate (U+{ord(text[i]):04X} at character {i}), "
                                 "which is not a character and UTF-8 cannot encode; fix the text", line=line,
                         doc_id=doc_id)
    if not text.strip():
        raise InputError(source, "the document is empty (no text after the header); remove it or add text",
                         line=line, doc_id=doc_id)
    if max_chars is not None and len(text) > max_chars:
        raise InputError(source, f"the document has {len(text):,} characters, over --max-chars {max_chars:,}; "
                                 "split it or raise --max-chars", line=line, doc_id=doc_id)


def read_text_file(path: str | Path, max_chars: int | None = DEFAULT_MAX_CHARS) -> Record:
    """Read one ``.txt`` document (seed header allowed); its id is the file stem."""
    path = Path(path)
    if lone_surrogate(path.stem) is not None:
        raise InputError(str(path).encode("utf-8", "backslashreplace").decode("ascii"),
                         "the file name is not valid UTF-8, so it cannot be the document's id; rename the file",
                         doc_id=None)
    data = path.read_bytes()
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(str(path), f"not valid UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start}); "
                                    "convert it, e.g. `iconv -f latin1 -t utf-8`", doc_id=path.stem) from None
    text, date = split_header(raw)
    _check_text(text, str(path), path.stem, max_chars)
    try:
        check_date(date)
    except ValueError as e:
        raise InputError(str(path), f"header: {e}", doc_id=path.stem) from None
    rec = Record(id=path.stem, text=text, date=date, source=path.name)
    rec.annotations["input_path"] = str(path)
    return rec


def _jsonl_record(obj: object, source: str, lineno: int, max_chars: int | None) -> Record:
    if not isinstance(obj, dict):
        raise InputError(source, f"expected a JSON object, got {type(obj).__name__}", line=lineno)
    doc_id = obj.get("id")
    if doc_id is None or (isinstance(doc_id, str) and not doc_id):
        raise InputError(source, 'the object has no "id"; every JSONL line needs {"id": ..., "text": ...}',
                         line=lineno)
    try:
        doc_id = check_id(doc_id)
    except (TypeError, ValueError) as e:
        raise InputError(source, f'"id": {e}', line=lineno) from None
    text = obj.get("text")
    if not isinstance(text, str):
        raise InputError(source, 'the object has no "text" string; every JSONL line needs {"id": ..., "text": ...}',
                         line=lineno, doc_id=doc_id)
    date = obj.get("date")
    try:
        check_date(date)
    except (TypeError, ValueError) as e:
        raise InputError(source, f'"date": {e}', line=lineno, doc_id=doc_id) from None
    _check_text(text, source, doc_id, max_chars, line=lineno)
    src = obj.get("source")
    if src is not None and (not isinstance(src, str) or lone_surrogate(src) is not None):
        raise InputError(source, '"source" must be a string of valid characters', line=lineno, doc_id=doc_id)
    lang = obj.get("lang")
    if lang is not None and not (isinstance(lang, str) and re.fullmatch("[a-z]{2,3}", lang)):
        raise InputError(source, f'"lang" must be an ISO 639 code like "fr" or "ar", got {lang!r}',
                         line=lineno, doc_id=doc_id)
    rec = Record(id=doc_id, text=text, date=date, source=src or Path(source).name)
    rec.annotations["input_path"] = source
    rec.annotations["input_line"] = lineno
    if isinstance(obj.get("lang"), str):
        rec.lang = obj["lang"]
        rec.annotations["lang_given"] = True
    return rec


def read_jsonl(lines: Iterable[bytes | str], source: str,
               max_chars: int | None = DEFAULT_MAX_CHARS) -> Iterator[Record | DocumentError]:
    """Documents from JSONL lines ``{"id", "text", "date"?, "lang"?}``; blank lines are skipped."""
    for lineno, line in enumerate(lines, 1):
        try:
            if isinstance(line, bytes):
                try:
                    line = line.decode("utf-8-sig" if lineno == 1 else "utf-8")
                except UnicodeDecodeError as e:
                    raise InputError(source, f"not valid UTF-8 (byte 0x{line[e.start]:02x} at column {e.start})",
                                     line=lineno) from None
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                raise InputError(source, f"not valid JSON: {e.msg} (column {e.colno})", line=lineno) from None
            yield _jsonl_record(obj, source, lineno, max_chars)
        except InputError as e:
            yield DocumentError(id=e.doc_id, source=source, reason=e.problem, line=e.line)


def expand_inputs(inputs: Iterable[str]) -> Iterator[str]:
    """Expand files, directories (recursively, sorted) and globs into paths; ``-`` stays stdin."""
    for item in inputs:
        if item == "-":
            yield item
            continue
        p = Path(item)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in TEXT_SUFFIXES | JSONL_SUFFIXES:
                    yield str(f)
        elif p.exists():
            yield str(p)
        else:
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                raise InputError(item, "no such file, directory or matching glob")
            for m in matches:
                if Path(m).is_file():
                    yield m


def resolve_inputs(inputs: Iterable[str]) -> list[str]:
    """Every input file, expanded and checked before anything is read or written: an
    InputError names the first input that is missing (so a run never stops half-way
    on a typo), or says that there is nothing to read."""
    inputs = list(inputs)
    files = list(expand_inputs(inputs))
    if not files:
        raise InputError(", ".join(inputs) or "<no input>",
                         f"no input file (directories are searched for {', '.join(sorted(TEXT_SUFFIXES | JSONL_SUFFIXES))})")
    return files


def read_documents(inputs: Iterable[str], max_chars: int | None = DEFAULT_MAX_CHARS,
                   resolved: bool = False) -> Iterator[Record | DocumentError]:
    """Every document of the inputs, in order, each a Record or a DocumentError.

    ``.jsonl``/``.ndjson`` files and ``-`` (stdin) are read as JSONL; anything
    else as one text document. ``resolved=True``: ``inputs`` are already the
    files of ``resolve_inputs``.
    """
    for path in (inputs if resolved else expand_inputs(inputs)):
        if path == "-":
            yield from read_jsonl(sys.stdin.buffer, "<stdin>", max_chars)
        elif Path(path).suffix.lower() in JSONL_SUFFIXES:
            try:
                f = open(path, "rb")
            except OSError as e:
                yield DocumentError(id=None, source=path, reason=f"cannot read the file: {e.strerror}")
                continue
            with f:
                yield from read_jsonl(f, path, max_chars)
        else:
            try:
                yield read_text_file(path, max_chars)
            except InputError as e:
                yield DocumentError(id=e.doc_id, source=path, reason=e.problem)
            except OSError as e:
                yield DocumentError(id=Path(path).stem, source=path, reason=f"cannot read the file: {e.strerror}")
