"""Input errors: each names the file (and line) and says how to fix the problem."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["InputError", "DocumentError"]


class InputError(ValueError):
    """An input that cannot be read as documents (missing path, broken JSONL, bad bytes)."""

    def __init__(self, source: str, problem: str, line: int | None = None, doc_id: str | None = None):
        self.source = source
        self.problem = problem
        self.line = line
        self.doc_id = doc_id
        where = source if line is None else f"{source}:{line}"
        super().__init__(f"{where}: {problem}")


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
