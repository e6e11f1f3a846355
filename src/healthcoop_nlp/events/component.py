"""The ``events`` component: document-level events with triggers, arguments and scores."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any, ContextManager

from ..paths import data_path
from ..record import Argument, Event, Record, Span
from .arguments import ROLES, DepView, link_arguments, load_argument_cues
from .context import build_context
from .factuality import NON_FACTUAL, SCHEDULED, assess, load_cues
from .merging import CORE_ROLES, PLACE_ROLES, DraftEvent, merge_mentions
from .triggers import TriggerMention, find_triggers, load_lexicon

__all__ = ["EventsComponent", "extract_events"]

# an event with no participant-like argument is less sure (a generic "lancement", "financement")
_NO_CORE_FACTOR = {"Initiative.Launch": 0.55, "Aid.Donate": 0.6}
_DEFAULT_NO_CORE_FACTOR = 0.9


def _supported(lang: str) -> bool:
    return all(data_path(lang, n).exists() for n in ("triggers.yaml", "factuality.yaml", "event_arguments.yaml"))


def _event(ev: DraftEvent, eid: str, threshold: float) -> Event | None:
    score = max(t.score for t in ev.mentions)
    if ev.status == SCHEDULED:
        score *= 0.9
    best: dict[tuple[str, str], tuple[float, int]] = {}
    for k, t in enumerate(ev.mentions):
        for role, ent, s in t.arguments:
            if (role, ent) not in best or s > best[(role, ent)][0]:
                best[(role, ent)] = (s, k)
    # one Time (the surest); places all from one mention (à Bellagio, en Italie)
    args = {key: v for key, v in best.items() if v[0] >= threshold}
    times = [key for key in args if key[0] == "Time"]
    if len(times) > 1:
        keep = max(times, key=lambda key: args[key][0])
        args = {k: v for k, v in args.items() if k[0] != "Time" or k == keep}
    places = [key for key in args if key[0] in PLACE_ROLES]
    if places:
        # the first mention that tells where (a news lead gives where and when)
        src = min(args[key][1] for key in places)
        args = {k: v for k, v in args.items() if k[0] not in PLACE_ROLES or v[1] == src}
    if not any(role in CORE_ROLES for role, _ in best):
        # a dated or placed event without participants is still specific; else it is likely generic
        dated = any(role in ("Time", "Place") for role, _ in best)
        score *= _DEFAULT_NO_CORE_FACTOR if dated else _NO_CORE_FACTOR.get(ev.type, _DEFAULT_NO_CORE_FACTOR)
    score = round(score, 3)
    if score < threshold:
        return None
    order = {r: i for i, r in enumerate(ROLES[ev.type])}
    arguments = [Argument(role=r, entity=e, score=round(s, 3))
                 for (r, e), (s, _) in sorted(args.items(), key=lambda kv: (order.get(kv[0][0], 99), kv[0][1]))]
    triggers = [Span(start=t.start, end=t.end, text=t.text) for t in ev.mentions]
    return Event(id=eid, type=ev.type, triggers=triggers, arguments=arguments, score=score)


def extract_events(record: Record, threshold: float = 0.5, dep_view=None) -> list[Event]:
    """The events of a record whose ``entities`` are set (an empty list for an unsupported language)."""
    if not _supported(record.lang) or not record.text:
        return []
    ctx = build_context(record)
    lex = load_lexicon(record.lang)
    cues = load_cues(record.lang)
    arg_cues = load_argument_cues(record.lang)
    mentions: list[TriggerMention] = []
    seen_types: set[str] = set()
    prev = None
    prev_status = None
    for t in find_triggers(ctx, lex):
        t.headline = ctx.is_headline(t.sent)
        if prev is not None and prev.sent == t.sent and 0 <= t.tok - prev.tok_end <= 2:
            # a trigger completing the previous one (signature d'une convention, توقيع اتفاقية) shares its status
            status = prev_status
        elif t.determiner == "demonstrative" and t.type in seen_types:
            # a demonstrative (cette rencontre, هذا الاجتماع) points back to an event already told
            status = t.status
        else:
            status = assess(ctx, t, cues, lex)
        prev, prev_status = t, status
        if status == NON_FACTUAL:
            continue
        t.status = status
        seen_types.add(t.type)
        mentions.append(t)
    dep = dep_view(record, ctx, mentions) if dep_view is not None else DepView()
    for t in mentions:
        t.arguments = link_arguments(ctx, t, arg_cues, lex, dep, mentions)
    out: list[Event] = []
    for ev in merge_mentions(mentions):
        e = _event(ev, f"v{len(out) + 1}", threshold)
        if e is not None:
            out.append(e)
    return out


class EventsComponent:
    """Writes ``record.events`` from ``record.entities``, ``record.text`` and ``record.lang``.

    ``method``: ``"learned"`` (default: the classifiers of ``models/events/``,
    trained on hcnews/train) or ``"rules"`` (the hand lexicon and patterns).
    ``threshold``: events whose score is below it are dropped (default: the
    learned model's, chosen on train's out-of-fold events and dev pooled; 0.5 for
    the rules); ``arg_threshold``: the
    same for arguments (learned method; the rules use ``threshold``). The
    model card lists the precision and recall each threshold gives on dev.
    ``precision`` / ``arg_precision`` (learned method): instead of a threshold,
    the precision wanted; the lowest threshold that reached it on dev is used
    (``models/events/events.json``, ``calibration``). ``model``: another
    model file than the shipped one.
    ``parse``: for French, use a dependency parse (the NER step's spaCy Doc in
    ``record.annotations["spacy_doc"]``, else ``fr_core_news_md`` loaded on the
    first French document) to rank arguments; ``False`` does without.
    """

    name = "events"
    requires = ("entities",)
    provides = ("events",)

    def __init__(self, threshold: float | None = None, parse: bool = False, method: str = "learned",
                 arg_threshold: float | None = None, model: str | None = None,
                 precision: float | None = None, arg_precision: float | None = None):
        for name, v in (("threshold", threshold), ("arg_threshold", arg_threshold)):
            if v is not None and not 0.0 <= v <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {v}")
        if method not in ("learned", "rules"):
            raise ValueError(f"method must be 'learned' or 'rules', got {method!r}")
        self.method = method
        self.parse = parse
        self._parser = None
        self.models = None
        if method == "learned":
            from ..paths import MODELS_DIR
            from .linear import load_models

            path = Path(model) if model else MODELS_DIR / "events" / "events.json"
            self.models = load_models(path)
            th = self.models.thresholds
            self.threshold = th.get("event", 0.5) if threshold is None else threshold
            self.arg_threshold = th.get("argument", 0.5) if arg_threshold is None else arg_threshold
            if precision is not None:
                self.threshold = self.models.threshold_for("events", precision)
            if arg_precision is not None:
                self.arg_threshold = self.models.threshold_for("arguments", arg_precision)
        else:
            self.threshold = 0.5 if threshold is None else threshold
            self.arg_threshold = self.threshold if arg_threshold is None else arg_threshold

    def _dep_view(self, record: Record, ctx, mentions):
        if not self.parse or record.lang != "fr" or not mentions:
            return DepView()
        from .parse import FrenchParser

        if self._parser is None:
            self._parser = FrenchParser()
        return self._parser.view(record, ctx, mentions)

    def memory_zone(self) -> ContextManager[Any]:
        """The memory zone of the French parser when it has been built (``FrenchParser.memory_zone``)."""
        return self._parser.memory_zone() if self._parser is not None else contextlib.nullcontext()

    def __call__(self, record: Record) -> Record:
        if self.models is None:
            record.events = extract_events(record, self.threshold, self._dep_view)
        elif not _supported(record.lang) or not record.text:
            record.events = []
        else:
            from .learned import extract_learned

            record.events = extract_learned(record, self.models, self.threshold, self.arg_threshold,
                                            self._dep_view if self.parse else None)
        return record
