"""Small hand-made records for the scoring tests."""

from __future__ import annotations

from typing import Callable

import pytest

from healthcoop_nlp.record import Argument, Entity, Event, Mention, Record, Span


def find(text: str, s: str, occurrence: int = 1) -> tuple[int, int]:
    """(start, end) of the n-th occurrence of ``s`` in ``text``."""
    pos = -1
    for _ in range(occurrence):
        pos = text.index(s, pos + 1)
    return pos, pos + len(s)


def make_record(text: str, entities=(), events=(), lang: str = "fr", doc_id: str = "d1",
                dialect: str | None = None) -> Record:
    """entities: (id, label, [(start, end)], title); events: (id, type, [(start, end)], [(role, entity id)])."""
    ents = []
    for ent in entities:
        eid, label, spans = ent[0], ent[1], ent[2]
        e = Entity(id=eid, label=label, mentions=[Mention(s, e_, text[s:e_]) for s, e_ in spans])
        if len(ent) > 3:
            e.title = ent[3]
        ents.append(e)
    evs = [Event(id=i, type=t, triggers=[Span(s, e, text[s:e]) for s, e in trig],
                 arguments=[Argument(r, x) for r, x in args]) for i, t, trig, args in events]
    return Record(id=doc_id, text=text, lang=lang, dialect=dialect, entities=ents, events=evs)


@pytest.fixture
def rec() -> Callable[..., Record]:
    return make_record


@pytest.fixture
def at() -> Callable[..., tuple[int, int]]:
    return find
