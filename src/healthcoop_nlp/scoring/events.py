"""Event and argument scores (the guide's section 4), per event type, role and language; error list.

- Events: a predicted event matches a gold event of the same type when one of
  its triggers overlaps (shares a character with) one of the gold event's
  triggers. Predicted events are taken in their order in the record; each is
  paired with the first gold event (in gold order) that is still unpaired and
  matches. Event P/R/F1 count the pairs.
- Arguments: the (role, entity) pairs of each event (a repeated pair counts
  once). Within a matched event pair, predicted arguments are taken in order;
  each is paired with the first unpaired gold argument of the same role whose
  entity it matches: one of the predicted entity's mentions overlaps one of
  the gold entity's mentions, or the normalised text
  (``healthcoop_nlp.text.normalize``) of one of its mentions equals that of
  one of the gold entity's mentions. Each gold argument is paired at most once.
  Arguments of unmatched events are unmatched (a predicted one is a false
  positive, a gold one a false negative); an argument whose entity id is not
  in its record can never match. Argument P/R/F1 count the pairs, i.e. the
  (matched event, role, gold entity) triples; per type they are counted under
  the event's type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from ..record import EVENT_TYPES, Entity, Event, Record
from ..text import normalize
from .align import align_documents
from .matching import context
from .metrics import prf

__all__ = ["EventDoc", "event_document", "summarize_events", "score_events", "entities_match"]


@dataclass
class EventDoc:
    """One document's event comparison: counts per type and role, pairs and errors."""

    id: str
    lang: str
    events: dict[str, list[int]] = field(default_factory=dict)      # type -> [tp, pred, gold]
    arguments: dict[str, list[int]] = field(default_factory=dict)   # event type -> [tp, pred, gold]
    roles: dict[str, list[int]] = field(default_factory=dict)       # role -> [tp, pred, gold]
    pairs: list[tuple[str, str]] = field(default_factory=list)      # (gold event id, pred event id)
    arg_pairs: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _mention_texts(record: Record, ent: Entity) -> set[str]:
    return {normalize(record.text[m.start:m.end]) for m in ent.mentions}


def entities_match(gold_rec: Record, gold_ent: Entity, pred_rec: Record, pred_ent: Entity) -> bool:
    """True when a mention of ``pred_ent`` overlaps one of ``gold_ent`` or has the same normalised text."""
    if any(pm.overlaps(gm) for pm in pred_ent.mentions for gm in gold_ent.mentions):
        return True
    return bool(_mention_texts(gold_rec, gold_ent) & _mention_texts(pred_rec, pred_ent))


def _triggers_overlap(g: Event, p: Event) -> bool:
    return any(pt.overlaps(gt) for pt in p.triggers for gt in g.triggers)


def _args(ev: Event) -> list[tuple[str, str]]:
    seen: dict[tuple[str, str], None] = {}
    for a in ev.arguments:
        seen.setdefault((a.role, a.entity), None)
    return list(seen)


def _bump(d: dict[str, list[int]], key: str, k: int) -> None:
    d.setdefault(key, [0, 0, 0])[k] += 1


def event_document(gold: Record, pred: Record, window: int = 60) -> EventDoc:
    """Compare the events of one gold and one predicted record (same id and text)."""
    doc = EventDoc(id=gold.id, lang=gold.lang)
    g_ents = {e.id: e for e in gold.entities}
    p_ents = {e.id: e for e in pred.entities}
    paired_gold: dict[int, int] = {}   # gold index -> pred index
    paired_pred: dict[int, int] = {}
    for pi, pe in enumerate(pred.events):
        for gi, ge in enumerate(gold.events):
            if gi not in paired_gold and ge.type == pe.type and _triggers_overlap(ge, pe):
                paired_gold[gi], paired_pred[pi] = pi, gi
                break
    for ge in gold.events:
        _bump(doc.events, ge.type, 2)
    for pe in pred.events:
        _bump(doc.events, pe.type, 1)
    for gi, pi in sorted(paired_gold.items()):
        _bump(doc.events, gold.events[gi].type, 0)
        doc.pairs.append((gold.events[gi].id, pred.events[pi].id))

    for rec, ents, side in ((gold, g_ents, "gold"), (pred, p_ents, "pred")):
        for ev in rec.events:
            for role, eid in _args(ev):
                if eid not in ents:
                    doc.warnings.append(f"{side} event {ev.id!r} of document {rec.id!r}: argument {role} "
                                        f"points to entity {eid!r}, which is not in the record")

    # arguments
    for gi, ge in enumerate(gold.events):
        g_args = _args(ge)
        for role, _ in g_args:
            _bump(doc.arguments, ge.type, 2)
            _bump(doc.roles, role, 2)
        matched_g: set[int] = set()
        matched_p: set[int] = set()
        pi = paired_gold.get(gi)
        if pi is not None:
            pe = pred.events[pi]
            p_args = _args(pe)
            for j, (role, peid) in enumerate(p_args):
                pent = p_ents.get(peid)
                if pent is None:
                    continue
                for i, (grole, geid) in enumerate(g_args):
                    gent = g_ents.get(geid)
                    if i in matched_g or grole != role or gent is None:
                        continue
                    if entities_match(gold, gent, pred, pent):
                        matched_g.add(i)
                        matched_p.add(j)
                        _bump(doc.arguments, ge.type, 0)
                        _bump(doc.roles, role, 0)
                        doc.arg_pairs.append({"gold_event": ge.id, "pred_event": pe.id, "role": role,
                                              "gold_entity": geid, "pred_entity": peid})
                        break
            for j, (role, peid) in enumerate(p_args):
                if j not in matched_p:
                    doc.errors.append(_arg_error("spurious", pred, gold, pe, role, peid, True, window))
        for i, (role, geid) in enumerate(g_args):
            if i not in matched_g:
                doc.errors.append(_arg_error("missed", gold, gold, ge, role, geid, pi is not None, window))
        if pi is None:
            doc.errors.append(_event_error("missed", gold, ge, pred.events, window))
    for pi, pe in enumerate(pred.events):
        for role, _ in _args(pe):
            _bump(doc.arguments, pe.type, 1)
            _bump(doc.roles, role, 1)
        if pi not in paired_pred:
            doc.errors.append(_event_error("spurious", gold, pe, gold.events, window))
            for role, peid in _args(pe):
                doc.errors.append(_arg_error("spurious", pred, gold, pe, role, peid, False, window))
    doc.errors.sort(key=lambda e: (e["start"] if e["start"] is not None else -1, e["task"]))
    return doc


def _event_error(kind: str, gold: Record, ev: Event, others: Sequence[Event], window: int) -> dict:
    trig = sorted(ev.triggers, key=lambda t: t.start)
    s, e = (trig[0].start, trig[0].end) if trig else (None, None)
    overlapping = sorted({o.type for o in others if _triggers_overlap(o, ev)})
    return {
        "task": "events", "kind": kind, "doc": gold.id, "lang": gold.lang, "start": s, "end": e,
        "type": ev.type, "event": ev.id, "triggers": [t.to_dict() for t in trig],
        "other_side_overlapping_types": overlapping,
        "context": context(gold.text, s, e, window) if s is not None else None,
    }


def _arg_error(kind: str, rec: Record, gold: Record, ev: Event, role: str, eid: str,
               event_matched: bool, window: int) -> dict:
    ent = next((x for x in rec.entities if x.id == eid), None)
    mentions = sorted(ent.mentions, key=lambda m: m.start) if ent else []
    s, e = (mentions[0].start, mentions[0].end) if mentions else (None, None)
    return {
        "task": "arguments", "kind": kind, "doc": gold.id, "lang": gold.lang, "start": s, "end": e,
        "event_type": ev.type, "event": ev.id, "event_matched": event_matched, "role": role,
        "entity": {"id": eid, "label": ent.label if ent else None,
                   "mentions": [{"start": m.start, "end": m.end, "text": m.text} for m in mentions]},
        "context": context(gold.text, s, e, window) if s is not None else None,
    }


def _sum(docs: Sequence[EventDoc], attr: str) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for d in docs:
        for key, c in getattr(d, attr).items():
            acc = out.setdefault(key, [0, 0, 0])
            for k in range(3):
                acc[k] += c[k]
    return out


def _order(keys: set[str], first: Sequence[str]) -> list[str]:
    return [k for k in first if k in keys] + sorted(keys - set(first))


def summarize_events(docs: Sequence[EventDoc]) -> dict:
    """Event and argument tables overall, per event type, per role and per gold language."""
    def block(ds: Sequence[EventDoc]) -> dict:
        ev = _sum(ds, "events")
        ar = _sum(ds, "arguments")
        ro = _sum(ds, "roles")
        tot = lambda c: [sum(v[k] for v in c.values()) for k in range(3)]  # noqa: E731
        types = _order(set(ev) | set(ar) | set(EVENT_TYPES), EVENT_TYPES)
        return {
            "events": {"overall": prf(*tot(ev)), "by_type": {t: prf(*ev.get(t, [0, 0, 0])) for t in types}},
            "arguments": {"overall": prf(*tot(ar)), "by_type": {t: prf(*ar.get(t, [0, 0, 0])) for t in types},
                          "by_role": {r: prf(*ro[r]) for r in sorted(ro)}},
            "documents": len(ds),
        }

    out = block(docs)
    out["by_lang"] = {lang: block([d for d in docs if d.lang == lang]) for lang in sorted({d.lang for d in docs})}
    counts: dict[str, int] = {}
    for d in docs:
        for e in d.errors:
            key = f"{e['task']}.{e['kind']}"
            counts[key] = counts.get(key, 0) + 1
    out["error_counts"] = counts
    out["warnings"] = [w for d in docs for w in d.warnings]
    return out


def score_events(gold: Sequence[Record], pred: Sequence[Record], allow_missing: bool = False) -> dict:
    """Event and argument scores of predicted records against gold records paired by id (see the module doc).

    Returns ``{"events": {"overall": prf, "by_type": {type: prf}}, "arguments": {"overall",
    "by_type", "by_role"}, "by_lang": {lang: {...}}, "error_counts", "warnings", "documents"}``.
    With ``allow_missing`` a gold document without a prediction is scored as an empty one.
    """
    pairs = align_documents(gold, pred, allow_missing=allow_missing).pairs
    return summarize_events([event_document(g, p) for g, p in pairs])
