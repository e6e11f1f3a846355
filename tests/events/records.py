"""Hand-built records for the event tests: a text and its entities, found by surface string."""

from __future__ import annotations

from healthcoop_nlp.record import Entity, Mention, Record


def make_record(text: str, lang: str, entities: dict[str, tuple[str, list[str]]],
                titles: dict[str, str] | None = None) -> Record:
    """A record whose entity ``id`` has a mention at every occurrence of each of its surfaces."""
    ents = []
    taken: list[tuple[int, int]] = []
    # longest surfaces first so that "Royaume du Maroc" wins over "Maroc"
    order = sorted(((eid, lab, s) for eid, (lab, surfs) in entities.items() for s in surfs), key=lambda x: -len(x[2]))
    found: dict[str, list[Mention]] = {eid: [] for eid in entities}
    for eid, _, surf in order:
        pos = text.find(surf)
        while pos >= 0:
            end = pos + len(surf)
            if not any(s < end and pos < e for s, e in taken):
                taken.append((pos, end))
                found[eid].append(Mention(start=pos, end=end, text=surf))
            pos = text.find(surf, pos + 1)
    for eid, (lab, _) in entities.items():
        ms = sorted(found[eid], key=lambda m: m.start)
        assert ms, f"surface of {eid} not in text"
        ents.append(Entity(id=eid, label=lab, mentions=ms, name=ms[0].text,
                           title=(titles or {}).get(eid) if lab == "PER" else None))
    return Record(id="t", text=text, lang=lang, entities=ents)


def args_of(event) -> set[tuple[str, str]]:
    return {(a.role, a.entity) for a in event.arguments}
