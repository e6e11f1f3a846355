"""Shared helpers of the entities tests: mark surfaces of a sentence as mentions."""

from __future__ import annotations

import pytest

from healthcoop_nlp.record import Mention


def mark(text: str, spans: list[tuple[str, str]]) -> list[tuple[str, Mention]]:
    """Mentions for (label, surface) pairs, each found after the previous one (left to right)."""
    out, pos = [], 0
    for label, surface in spans:
        i = text.index(surface, pos)
        out.append((label, Mention(start=i, end=i + len(surface), text=surface)))
        pos = i + len(surface)
    return out


def groups_as_text(mentions, groups) -> list[list[str]]:
    return [[mentions[i][1].text for i in g] for g in groups]


@pytest.fixture
def marker():
    return mark
