"""Merging trigger mentions into document-level events.

A demonstrative mention (``cette rencontre``, ``هذا اللقاء``) refers back to
the latest event of its type. Any other mention joins the latest event of its
type unless they conflict: one is scheduled and the other happened, they have
different dates or places, or (for verbs and indefinite nouns, which
introduce a new event) they have disjoint core participants; a title line
summarises the article, so its mentions are never told apart that way. Entries
of a lexicon may belong to a group (``gathering``: session, conference,
summit), and only a demonstrative joins mentions of different groups. A mention that
conflicts with every earlier event of its type starts a new event.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .triggers import TriggerMention

__all__ = ["DraftEvent", "merge_mentions", "CORE_ROLES", "PLACE_ROLES"]

PLACE_ROLES = frozenset({"Place", "Destination"})
CORE_ROLES = frozenset({"Participant", "Party", "Visitor", "Appointee", "Agent", "Initiative", "Donor", "Recipient"})
# roles whose difference always means another event (another body launched, another person appointed)
_IDENTITY_ROLES = frozenset({"Initiative", "Appointee"})


@dataclass
class DraftEvent:
    """An event being built: its mentions in text order and their arguments."""

    type: str
    status: str
    mentions: list[TriggerMention] = field(default_factory=list)

    def role_entities(self, roles: frozenset[str] | set[str]) -> set[str]:
        return {ent for t in self.mentions for role, ent, _ in t.arguments if role in roles}


def _entities(t: TriggerMention, roles: frozenset[str] | set[str]) -> set[str]:
    return {ent for role, ent, _ in t.arguments if role in roles}


def _conflicts(ev: DraftEvent, t: TriggerMention) -> bool:
    if ev.status != t.status:
        return True
    if t.group != ev.mentions[0].group:  # a session or summit is not the talks held beside it
        return True
    for roles in ({"Time"}, PLACE_ROLES, _IDENTITY_ROLES):
        a, b = ev.role_entities(roles), _entities(t, roles)
        if a and b and not (a & b):
            return True
    introduces = t.pos == "verb" or t.determiner in (None, "indefinite")
    told_in_headline_only = all(m.headline for m in ev.mentions)
    if introduces and not told_in_headline_only and not t.headline:
        a, b = ev.role_entities(CORE_ROLES), _entities(t, CORE_ROLES)
        if a and b and not (a & b):
            return True
    return False


def merge_mentions(mentions: list[TriggerMention]) -> list[DraftEvent]:
    """Document-level events from trigger mentions (already filtered for factuality), in text order."""
    events: list[DraftEvent] = []
    for t in sorted(mentions, key=lambda m: m.start):
        same = [ev for ev in events if ev.type == t.type]
        target = None
        if same and t.determiner == "demonstrative":
            target = same[-1]
        else:
            for ev in reversed(same):
                if not _conflicts(ev, t):
                    target = ev
                    break
        if target is None:
            target = DraftEvent(type=t.type, status=t.status)
            events.append(target)
        target.mentions.append(t)
    return events
