"""Input errors: each names the file (and line) and says how to fix the problem."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["InputError", "DocumentError", "OutputError", "UnwritableRecord"]


class InputError(ValueError):
    """An input that cannot be read as documents (missing path, broken JSONL, bad bytes)."""

    def __init__(self, source: str, problem: str, line: int | None = None, doc_id: str | None = None):
        self.source = source
        self.problem = problem
        self.line = line
        self.doc_id = doc_id
        where = source if line is None else f"{source}:{line}"
        super().__init__(f"{where}: {problem}")


class OutputError(OSError):
    """An output that cannot be created or written (read-only folder, a folder in its
    place, a full disk): the run stops, since every later record would be lost too."""

    def __init__(self, path: str, problem: str):
        self.path = path
        self.problem = problem
        super().__init__(f"cannot write {path}: {problem}")


class UnwritableRecord(ValueError):
    """One record that cannot be written as UTF-8 JSON (e.g. a lone surrogate in a field
    set by a component): that document fails, the others go on."""


@dataclass
class DocumentError:
    """A document that could not be processed, as written to ``OUT.errors.jsonl``."""

    id: str | None
    source: str | None
    reason: str
    line: int | None = None

    def to_dict(self) -> dict:
        d = {"id": self.id, "source": self.source, "reason": self.reason}
        if self.line is not None:
            d["line"] = self.line
        return d
