"""Learned event extraction: candidates -> trigger classifiers -> merging -> argument linking.

The models are logistic regressions trained on hcnews/train (``train/events.py``)
and read from JSON (``linear.py``); the features are ``features.py``'s, the
same code as in training. Every event and argument carries the model's
probability as its ``score``; the event threshold was chosen on train's
out-of-fold events and dev pooled, the argument threshold on dev.
"""

from __future__ import annotations

from typing import Callable

from ..record import Argument, Event, Record, Span
from .arguments import ROLES, DepView
from .context import DocContext, EntityMention, build_context
from .factuality import load_cues
from .features import ROLE_LABELS, DocView, Mention, argument_features, event_features, find_candidates, \
    pair_features, role_features, trigger_features
from .linear import EventModels, LinearModel
from .triggers import load_lexicon

__all__ = ["keep_types", "detect_triggers", "merge_events", "link_entities", "extract_learned", "single_valued",
           "cluster_link", "cluster_event_features",
           "SINGLE_ROLES"]


TYPE_RATIO = 0.0  # > 0: a second type of one word kept only when nearly as probable (0.9: same dev F1, not used)


def keep_types(probs: dict[str, float], threshold: float, ratio: float = TYPE_RATIO) -> list[tuple[str, float]]:
    """The types of a candidate worth keeping: at or above ``threshold`` and at least ``ratio`` times the
    most probable one (a word is rarely the trigger of two types: a ceremony of a signature and a donation)."""
    top = max(probs.values(), default=0.0)
    return [(t, p) for t, p in probs.items() if p >= threshold and p >= ratio * top]


def detect_triggers(view: DocView, models: EventModels, threshold: float) -> list[tuple[Mention, str, float]]:
    """(mention, type, probability) for every candidate and the types it keeps (``keep_types``)."""
    out = []
    ratio = models.thresholds.get("type_ratio", TYPE_RATIO)
    for m in find_candidates(view, models.known):
        feats = trigger_features(view, m, models.known, models.prior, models.types)
        m.probs = {etype: model.score(feats) for etype, model in models.trigger.items()}
        out += [(m, t, p) for t, p in keep_types(m.probs, threshold, ratio)]
    return out


def merge_events(view: DocView, models: EventModels, kept: list[tuple[Mention, str, float]],
                 threshold: float = 0.5) -> list[tuple[str, list[tuple[Mention, float]]]]:
    """Groups the kept mentions of each type into events: a mention joins the earlier event it most
    likely belongs to (the best pair probability with one of its mentions) when that is ``threshold`` or more."""
    events: list[tuple[str, list[tuple[Mention, float]]]] = []
    for etype in sorted({t for _, t, _ in kept}):
        ms = sorted(((m, p) for m, t, p in kept if t == etype), key=lambda x: x[0].tok)
        order = {id(m): k for k, (m, _) in enumerate(ms)}
        clusters: list[list[tuple[Mention, float]]] = []
        for m, p in ms:
            best, best_p = None, threshold
            for c in clusters:
                # average link: the mention must fit the event's mentions on the whole
                qs = [models.merge.score(pair_features(view, a, m, etype, order[id(m)] - order[id(a)] - 1))
                      for a, _ in c]
                q = sum(qs) / len(qs)
                if q >= best_p:
                    best, best_p = c, q
            if best is None:
                clusters.append([(m, p)])
            else:
                best.append((m, p))
        events += [(etype, c) for c in clusters]
    return sorted(events, key=lambda e: e[1][0][0].tok)


def entity_mentions(ctx: DocContext) -> dict[str, list[EntityMention]]:
    """Mentions of each entity of the document, in text order."""
    out: dict[str, list[EntityMention]] = {}
    for m in ctx.mentions:
        out.setdefault(m.entity, []).append(m)
    return out


def sentence_dates(ctx: DocContext) -> dict[int, list[EntityMention]]:
    out: dict[int, list[EntityMention]] = {}
    for m in ctx.mentions:
        if m.label == "DATE":
            out.setdefault(m.sent, []).append(m)
    return out


def link_entities(view: DocView, etype: str, trigs: list[Mention], others: list[Mention],
                  ents: dict[str, list[EntityMention]], model, dep: DepView | None,
                  sent_dates: dict[int, list[EntityMention]]) -> list[tuple[str, str, float]]:
    """(role, entity id, probability) for every entity and role of the type, the best role per entity."""
    out = []
    for eid, ems in ents.items():
        label = ems[0].label
        roles = [r for r in ROLES[etype] if label in ROLE_LABELS[r]]
        if not roles:
            continue
        feats = argument_features(view, etype, trigs, ems, others, dep, sent_dates)
        scored = [(model.score(role_features(etype, r, feats)), r) for r in roles]
        p, r = max(scored)
        out.append((r, eid, p))
    return out


SINGLE_ROLES = ("Time", "Place")  # one date and one place per event (train: 10 of 478 events have two dates)


def single_valued(links: list[tuple[str, str, float]]) -> list[tuple[str, str, float]]:
    """Keeps only the most probable entity of each role in ``SINGLE_ROLES`` (an event has one date and one
    place; train: 28 of 360 events with a place name two, 10 of 478 with a date two)."""
    best: dict[str, tuple[str, str, float]] = {}
    for x in links:
        if x[0] in SINGLE_ROLES and (x[0] not in best or x[2] > best[x[0]][2]):
            best[x[0]] = x
    return [x for x in links if x[0] not in SINGLE_ROLES or x is best[x[0]]]


def cluster_link(view: DocView, merge: LinearModel, etype: str, cluster: list[tuple[Mention, float]],
                 same: list[list[tuple[Mention, float]]]) -> float:
    """The best average merge probability (pairs in text order) between ``cluster`` and another event of
    its type in ``same``: how likely the event is a split-off piece of another one."""
    best = 0.0
    for other in same:
        if other is cluster:
            continue
        qs = []
        for a, _ in other:
            for b, _ in cluster:
                x, y = (a, b) if a.tok < b.tok else (b, a)
                if x.tok != y.tok:
                    qs.append(merge.score(pair_features(view, x, y, etype, 0)))
        if qs:
            best = max(best, sum(qs) / len(qs))
    return best


def cluster_event_features(view: DocView, merge: LinearModel, etype: str, cluster: list[tuple[Mention, float]],
                           same: list[list[tuple[Mention, float]]]) -> list[str]:
    """``event_features`` of one merged event among the events of its type ``same`` (text order)."""
    nth = next(k for k, c in enumerate(same) if c is cluster)
    return event_features(view, etype, cluster, nth, len(same), cluster_link(view, merge, etype, cluster, same))


def score_event(view: DocView, models: EventModels, etype: str, cluster: list[tuple[Mention, float]],
                drafts: list[tuple[str, list[tuple[Mention, float]]]]) -> float:
    """The event's probability: the event model over its mentions' probabilities when the model has one,
    else the noisy-or of its mentions' probabilities (an event told several times is surer)."""
    if models.event is None:
        miss = 1.0
        for _, p in cluster:
            miss *= 1.0 - p
        return 1.0 - miss
    same = [c for t, c in drafts if t == etype]
    return models.event.score(cluster_event_features(view, models.merge, etype, cluster, same))


def extract_learned(record: Record, models: EventModels, event_threshold: float, arg_threshold: float,
                    dep_view: Callable | None = None) -> list[Event]:
    """The events of a record whose entities are set. ``dep_view(record, ctx, trigger_mentions)`` gives
    French dependency distances (the argument model trained with them is used then)."""
    ctx = build_context(record)
    view = DocView(ctx, load_lexicon(record.lang), load_cues(record.lang))
    trig_th = models.thresholds.get("trigger", 0.5)
    # with an event model, mentions are kept as in its training (the trigger floor); without, down to the cut
    kept = detect_triggers(view, models, trig_th if models.event is not None else min(trig_th, event_threshold))
    drafts = merge_events(view, models, kept, models.thresholds.get("merge", 0.5))
    dep = None
    if dep_view is not None and drafts:
        dep = dep_view(record, ctx, [m.as_trigger() for _, c in drafts for m, _ in c])
        if dep is not None and type(dep) is DepView:  # an empty view: nothing parsed
            dep = None
    model = models.args["parse" if dep is not None and "parse" in models.args else "noparse"]
    ents = entity_mentions(ctx)
    sdates = sentence_dates(ctx)
    out: list[Event] = []
    all_mentions = [m for _, c in drafts for m, _ in c]
    for etype, cluster in drafts:
        score = score_event(view, models, etype, cluster, drafts)
        if score < event_threshold:
            continue
        trigs = [m for m, _ in cluster]
        ids = {id(m) for m in trigs}
        others = [m for m in all_mentions if id(m) not in ids]
        links = link_entities(view, etype, trigs, others, ents, model, dep, sdates)
        # an argument is right only if its event is: its score is P(role | event) * P(event)
        links = [(r, e, p * score) for r, e, p in links]
        links = [x for x in links if x[2] >= arg_threshold]
        links = single_valued(links)
        order = {r: k for k, r in enumerate(ROLES[etype])}
        links.sort(key=lambda x: (order[x[0]], -x[2], x[1]))
        seen: set[tuple[int, int]] = set()
        triggers = []
        for m in trigs:
            if (m.start, m.end) not in seen:
                seen.add((m.start, m.end))
                triggers.append(Span(start=m.start, end=m.end, text=record.text[m.start:m.end]))
        out.append(Event(id=f"v{len(out) + 1}", type=etype, triggers=triggers,
                         arguments=[Argument(role=r, entity=e, score=round(p, 3)) for r, e, p in links],
                         score=round(score, 3)))
    return out
