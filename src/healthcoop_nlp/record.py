"""Record types: one news document with its language, entities and events.

The dataclasses mirror ``schema/record.schema.json`` field for field, and
``Record.from_dict(d).to_dict() == d`` for every schema-valid ``d`` that has
the document-level keys ``source``, ``date`` and ``dialect`` (they are always
written, as null when unknown); optional keys of mentions, entities, events
and arguments stay absent when they were absent.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Span", "Mention", "Entity", "Argument", "Event", "Record", "LABELS", "EVENT_TYPES", "ROLES",
           "DATE_PATTERN", "check_date", "check_id", "lone_surrogate"]

LABELS = ("PER", "ORG", "LOC", "DATE")
EVENT_TYPES = (
    "Contact.Meet",
    "Movement.Visit",
    "Personnel.Appoint",
    "Agreement.Sign",
    "Initiative.Launch",
    "Aid.Donate",
)
ROLES = (
    "Participant", "Place", "Time", "Visitor", "Destination", "Appointee",
    "Organization", "Party", "Agent", "Initiative", "Donor", "Recipient",
)

# A document date: YYYY-MM or YYYY-MM-DD (the schema's "date" pattern).
DATE_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?$"
_DATE = re.compile(DATE_PATTERN)
# Relative dates ("demain", "l'année prochaine") are resolved from the document date,
# so it must be a plausible news date, far from the calendar's ends.
MIN_YEAR, MAX_YEAR = 1000, 2999
_SURROGATE = re.compile("[\ud800-\udfff]")


def lone_surrogate(s: str) -> int | None:
    """The index of the first lone surrogate in ``s`` (a code point JSON can escape but
    UTF-8 cannot encode, e.g. from ``"\\ud800"``), or None."""
    m = _SURROGATE.search(s)
    return m.start() if m else None


def check_date(date: object) -> str | None:
    """``date`` if it is None or a real calendar date ``YYYY-MM`` / ``YYYY-MM-DD`` with a
    year from 1000 to 2999; ValueError or TypeError saying what is wrong otherwise."""
    if date is None:
        return None
    if not isinstance(date, str):
        raise TypeError(f"date must be a string YYYY-MM or YYYY-MM-DD, got {type(date).__name__}")
    if not _DATE.match(date):
        raise ValueError(f"date {date!r} is not YYYY-MM or YYYY-MM-DD (e.g. 2024-03 or 2024-03-18)")
    year, month = int(date[:4]), int(date[5:7])
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"date {date!r}: the year must be from {MIN_YEAR} to {MAX_YEAR} "
                         "(relative dates in the text are resolved from it)")
    if len(date) == 10:
        try:
            _dt.date(year, month, int(date[8:]))
        except ValueError:
            raise ValueError(f"date {date!r} is not a day of the calendar") from None
    return date


def check_id(doc_id: object) -> str:
    """A document id as the schema wants it: a non-empty string (an integer is written
    in decimal); TypeError or ValueError for anything else (bool, float, object, list)."""
    if isinstance(doc_id, int) and not isinstance(doc_id, bool):
        return str(doc_id)
    if not isinstance(doc_id, str):
        raise TypeError(f"the id must be a string (or an integer), got {type(doc_id).__name__}")
    if not doc_id:
        raise ValueError("the id is empty; give every document a non-empty id")
    i = lone_surrogate(doc_id)
    if i is not None:
        raise ValueError(f"the id has a lone surrogate (U+{ord(doc_id[i]):04X} at index {i}), "
                         "which UTF-8 cannot encode; fix the id")
    return doc_id


@dataclass
class Span:
    """A character span of the document text: ``text == doc_text[start:end]``."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Span":
        return cls(start=int(d["start"]), end=int(d["end"]), text=d["text"])

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end


@dataclass
class Mention(Span):
    """An entity mention; ``score`` and ``value`` (ISO 8601 for DATE) are optional."""

    score: float | None = None
    value: str | None = None
    # ``value`` may legitimately be JSON null; remember whether the key was present.
    has_value: bool = field(default=False, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        d = super().to_dict()
        if self.score is not None:
            d["score"] = self.score
        if self.value is not None or self.has_value:
            d["value"] = self.value
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Mention":
        return cls(
            start=int(d["start"]), end=int(d["end"]), text=d["text"],
            score=d.get("score"), value=d.get("value"), has_value="value" in d,
        )


@dataclass
class Entity:
    """All the mentions of one real-world thing in a document."""

    id: str
    label: str
    mentions: list[Mention]
    name: str | None = None
    title: str | None = None
    has_title: bool = field(default=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.label == "PER":
            self.has_title = True

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "label": self.label}
        if self.name is not None:
            d["name"] = self.name
        d["mentions"] = [m.to_dict() for m in self.mentions]
        if self.title is not None or self.has_title:
            d["title"] = self.title
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Entity":
        e = cls(
            id=d["id"], label=d["label"],
            mentions=[Mention.from_dict(m) for m in d["mentions"]],
            name=d.get("name"), title=d.get("title"),
        )
        e.has_title = "title" in d
        return e


@dataclass
class Argument:
    """An event argument: a role filled by an entity of the same record."""

    role: str
    entity: str
    score: float | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"role": self.role, "entity": self.entity}
        if self.score is not None:
            d["score"] = self.score
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Argument":
        return cls(role=d["role"], entity=d["entity"], score=d.get("score"))


@dataclass
class Event:
    """A document-level event with every trigger mention and its arguments."""

    id: str
    type: str
    triggers: list[Span]
    arguments: list[Argument] = field(default_factory=list)
    score: float | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "type": self.type,
            "triggers": [t.to_dict() for t in self.triggers],
            "arguments": [a.to_dict() for a in self.arguments],
        }
        if self.score is not None:
            d["score"] = self.score
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Event":
        return cls(
            id=d["id"], type=d["type"],
            triggers=[Span.from_dict(t) for t in d["triggers"]],
            arguments=[Argument.from_dict(a) for a in d["arguments"]],
            score=d.get("score"),
        )


@dataclass
class Record:
    """One document flowing from reader to writer, filled in by the pipeline.

    ``annotations`` holds in-process results that components share (a parsed
    spaCy ``Doc``, sentence boundaries); it is never serialised and the
    pipeline clears it before returning the record.
    """

    id: str
    text: str
    lang: str = "und"
    source: str | None = None
    date: str | None = None
    dialect: str | None = None
    entities: list[Entity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    annotations: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    # -- convenience -------------------------------------------------------
    def entity(self, entity_id: str) -> Entity:
        """The entity with this id (KeyError if absent)."""
        for e in self.entities:
            if e.id == entity_id:
                return e
        raise KeyError(entity_id)

    def mentions(self) -> list[tuple[Mention, Entity]]:
        """Every mention with its entity, in text order."""
        pairs = [(m, e) for e in self.entities for m in e.mentions]
        pairs.sort(key=lambda p: (p[0].start, p[0].end))
        return pairs

    # -- JSON --------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "date": self.date,
            "lang": self.lang,
            "dialect": self.dialect,
            "text": self.text,
            "entities": [e.to_dict() for e in self.entities],
            "events": [ev.to_dict() for ev in self.events],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Record":
        return cls(
            id=d["id"], text=d["text"], lang=d["lang"],
            source=d.get("source"), date=d.get("date"), dialect=d.get("dialect"),
            entities=[Entity.from_dict(e) for e in d["entities"]],
            events=[Event.from_dict(ev) for ev in d["events"]],
        )

    @classmethod
    def from_json(cls, line: str) -> "Record":
        return cls.from_dict(json.loads(line))
