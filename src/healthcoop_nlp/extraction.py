"""What both engines of ``extract`` share: exit statuses, the run summary, duplicate ids and error lines.

``batch`` (local processes) and ``distributed`` (Ray) both import this module,
so neither imports the other's internals: ``batch.run`` hands ``--engine ray``
to ``distributed``, and ``distributed`` reads nothing from ``batch``.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Sequence

from .io import DocumentError, JsonlWriter, input_of
from .record import Record

__all__ = ["EXIT_STATUS", "EXIT_OK", "EXIT_DOCUMENTS_FAILED", "EXIT_USAGE", "EXIT_OUTPUT", "EXIT_WORKER",
           "EXIT_INTERNAL", "EXIT_INTERRUPTED", "BatchSummary", "BatchStopped", "where", "dedupe",
           "report_error", "input_given", "cli_config"]

# exit status -> meaning (the README's table)
EXIT_OK, EXIT_DOCUMENTS_FAILED, EXIT_USAGE, EXIT_OUTPUT, EXIT_WORKER, EXIT_INTERNAL, EXIT_INTERRUPTED = \
    0, 1, 2, 3, 4, 5, 130
EXIT_STATUS: dict[int, str] = {
    EXIT_OK: "every document gave a record",
    EXIT_DOCUMENTS_FAILED: "the run finished; some documents failed and are listed in OUT.errors.jsonl",
    EXIT_USAGE: "nothing was done: bad arguments or inputs (a missing input, the output is an input "
                "or inside an input folder, an unknown component)",
    EXIT_OUTPUT: "the output could not be created or written; the run stopped (--resume completes it)",
    EXIT_WORKER: "a worker process died (killed, out of memory, crashed); the run stopped (--resume completes it)",
    EXIT_INTERNAL: "an unexpected internal error (a bug: please report it with the traceback); the run stopped "
                   "(--resume completes it once fixed)",
    EXIT_INTERRUPTED: "interrupted (Ctrl-C); the run stopped (--resume completes it)",
}


@dataclass
class BatchSummary:
    ok: int = 0
    failed: int = 0
    skipped: int = 0
    words: int = 0
    seconds: float = 0.0
    errors: list[DocumentError] = field(default_factory=list)
    stopped: str | None = None   # why the run stopped before the end of the input

    def line(self) -> str:
        wps = self.words / self.seconds if self.seconds > 0 else 0.0
        dps = self.ok / self.seconds if self.seconds > 0 else 0.0
        head = "stopped: " if self.stopped else ""
        return (f"{head}{self.ok} documents ok, {self.failed} failed, {self.skipped} skipped (already in output); "
                f"{self.seconds:.1f} s, {dps:.1f} documents/s, {wps:,.0f} words/s")


class BatchStopped(RuntimeError):
    """The run stopped before the end of its input because the machinery failed (the
    output cannot be written, a worker died, an interrupt). ``summary`` counts what was
    done; every record written is complete, and ``--resume`` completes the run."""

    def __init__(self, message: str, status: int, summary: BatchSummary):
        super().__init__(message)
        self.status = status
        self.summary = summary


def where(source: str | None, line: int | None) -> str:
    return (source or "<input>") + (f":{line}" if line is not None else "")


def dedupe(items: Iterable[Record | DocumentError], skip: set[str], summary: BatchSummary) -> Iterator[Record | DocumentError]:
    """Drop ids already written (resume) and repeated ids within the input (reported)."""
    seen: dict[str, tuple[str | None, int | None]] = {}
    for item in items:
        if isinstance(item, Record):
            if item.id in skip:
                summary.skipped += 1
                continue
            path, line = input_of(item)
            if item.id in seen:
                yield DocumentError(id=item.id, source=path or item.source, line=line,
                                    reason=f"duplicate id: {where(*seen[item.id])} already has id {item.id!r}, "
                                           f"so this document ({where(path or item.source, line)}) is dropped; "
                                           "give every document a unique id")
                continue
            seen[item.id] = (path or item.source, line)
        yield item


def input_given(components: Sequence[str] | None) -> tuple[str, ...]:
    """What the input provides: without langid the language comes from the input
    ("lang" in JSONL); a document without one is 'und' and its NER step says so."""
    return ("lang",) if components is not None and "langid" not in components else ()


def report_error(e: DocumentError, errw: JsonlWriter | None, summary: BatchSummary) -> None:
    """Count a failed document, write its error line and say it on stderr."""
    summary.failed += 1
    summary.errors.append(e)
    if errw is not None:
        errw.write(e)
    msg = f"error: {where(e.source, e.line)} (id {e.id}): {e.reason}"
    print(msg.encode("utf-8", "backslashreplace").decode("utf-8"), file=sys.stderr)


def cli_config(args: argparse.Namespace, components: Sequence[str] | None) -> dict | None:
    """Component options set by command-line flags."""
    if getattr(args, "skip_unsupported", False) and (components is None or "ner" in components):
        return {"ner": {"unknown": "skip"}}
    return None
