"""Arabic NER: a statistical tagger (PER/ORG/LOC) completed by the gazetteer and rules, plus DATE.

``load_tagger(**options)`` returns an ``ArabicTagger``; ``tag(record)`` gives
flat ``(label, Mention)`` pairs with offsets into ``record.text``.

How a document is tagged:
1. sentences and tokens with raw offsets (``ar_features.token_sentences``: ``text.tokenize``,
   split at a hyphen between Arabic letters); clitics stay attached to their word, as in ANERcorp;
2. the model tags the tokens in IOB2: the BiLSTM-CRF ensemble of ``models/ar_ner/lstm``
   (``ar_lstm``, default; it also reads pretrained sub-word pieces, ``subwords``)
   or the CRF ``models/ar_ner/model.crfsuite`` (``arch="crf"``), both on the
   features of ``ar_features``;
3. PER rules (``fix_tags``): titles stay outside, a name does not end on a
   particle such as آيت or بن;
4. document consistency: a name tagged once is tagged wherever the same words
   occur untagged in the document (``propagate_names``);
5. proclitic trimming (the guide's rule): the span starts after attached
   one-letter proclitics (و ف ب ل ك) when what follows starts with the article
   ``ال``, is a known name form (gazetteer, name lists, the name heads of
   ``data/ar/ner.yaml`` such as حكومة or سفارة) or starts a name elsewhere in the
   document; in ``لل`` + noun only the first ``ل`` is cut (``ar_lexicon.proclitic_length``);
6. gazetteer matches (``ner.gazetteer.Gazetteer.load("ar").find`` over
   ``data/ar/gazetteer.tsv``) that the model missed are added; one as long as or
   longer than an overlapping model span replaces it; a model span made only of
   known names joined by proclitics is split into them;
7. DATE mentions from ``ner.dates.find_dates``; a name overlapping a date is dropped.

Options: ``model`` (a model folder, default ``models/ar_ner``), ``arch``
(``"lstm"``, the default when ``<model>/lstm`` exists, or ``"crf"``: faster to
load, less accurate), ``gazetteer``, ``dates``, ``propagate``,
``scores``, ``rules`` (the PER rules of step 3) (bools, default True), ``gazetteer_overrides`` (may a gazetteer
match replace an overlapping, not longer model span; default: yes for the CRF,
no for the BiLSTM-CRF, chosen on dev); ``backend="hf"`` with ``path`` = a local
Hugging Face token-classification model folder runs that model instead
(``backends.hf``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..paths import data_path, model_path
from ..record import Mention, Record
from ..text.tokenize import Token
from .ar_features import FEATURE_VERSION, Featurizer, match_form, strip_proclitics, token_sentences
from .ar_lexicon import Lexicon, proclitic_length
from .gazetteer import Gazetteer
from .spans import resolve_overlaps, spans_from_tags

__all__ = ["ArabicTagger", "load_tagger", "propagate_names"]

LABELS = ("PER", "ORG", "LOC")


class ArabicTagger:
    """BiLSTM-CRF or CRF + rules + gazetteer + dates tagger for Arabic text."""

    def __init__(self, model: str | Path | None = None, gazetteer: bool = True, dates: bool = True,
                 scores: bool = True, propagate: bool = True, arch: str | None = None,
                 gazetteer_overrides: bool | None = None, rules: bool = True, construct: bool = True):
        folder = Path(model) if model is not None else model_path("ar_ner")
        if arch is None:  # the BiLSTM-CRF when the folder has one, else the CRF
            arch = "lstm" if (folder / "lstm" / "model.safetensors").is_file() else "crf"
        if arch not in ("crf", "lstm"):
            raise ValueError(f"unknown Arabic NER architecture {arch!r}; use 'lstm' (the default) or 'crf'")
        self.arch = arch
        meta_file = folder / "meta.json"
        if not meta_file.is_file():
            raise FileNotFoundError(f"{meta_file} not found; train the model with "
                                    f"`healthcoop-nlp train-ner --lang ar --out {folder}`")
        self.meta = json.loads(meta_file.read_text(encoding="utf-8"))
        if self.meta.get("feature_version") != FEATURE_VERSION:
            raise ValueError(f"{folder} was trained with features v{self.meta.get('feature_version')}, this code "
                             f"computes v{FEATURE_VERSION}; retrain with `healthcoop-nlp train-ner --lang ar`")
        names_file = folder / "names.json"
        self.names: dict[str, str] = (json.loads(names_file.read_text(encoding="utf-8"))
                                      if names_file.is_file() else {})
        self.lexicon = Lexicon.load()
        self.gazetteer = Gazetteer.load("ar")
        self.featurizer = Featurizer(self.lexicon if self.meta.get("gazetteer_features", True) else None,
                                     self.names)
        self.use_gazetteer = gazetteer
        # may a gazetteer match replace an overlapping model span that is not longer? Chosen on the
        # ANERcorp dev split: yes for the CRF (+1.8 F1), no for the BiLSTM-CRF ensemble, which reads the
        # gazetteer as a feature already (all steps: 0.822 when it may, 0.841 when matches only fill gaps)
        self.gazetteer_overrides = arch == "crf" if gazetteer_overrides is None else gazetteer_overrides
        self.use_dates = dates
        self.scores = scores
        self.propagate = propagate
        self.rules = rules
        self.construct = construct
        self.known = self.lexicon.forms() | set(self.names)
        self.title_words = title_words()
        rules = _rules()
        self.particles = {match_form(w) for w in rules.get("name_particles") or []}
        self.heads = {match_form(w): label for label, words in (rules.get("name_heads") or {}).items()
                      for w in words}
        self.known |= set(self.heads)
        self.state_heads = {strip_proclitics(match_form(w))[1] for w in rules.get("state_heads") or []}
        self.demonym_heads = {strip_proclitics(match_form(w))[1] for w in rules.get("demonym_heads") or []}
        self.demonym_stems = demonym_stems(self.lexicon)
        self.split_and = True  # و + a definite head inside a span starts a new name (see join_heads)
        self._crf = None
        self._lstm = None
        if arch == "lstm":
            from .ar_lstm import LstmTagger

            self._lstm = LstmTagger(folder / "lstm", self.lexicon)
        else:
            import pycrfsuite

            self._crf = pycrfsuite.Tagger()
            self._crf.open(str(folder / "model.crfsuite"))

    # -- steps ---------------------------------------------------------------

    def fix_tags(self, words: list[str], tags: list[str]) -> list[str]:
        """Token-level rules on PER spans: honorifics and definite titles (``data/ar/titles.yaml``,
        ``title_words``) at the start are left out; a span ending on a name particle (``data/ar/ner.yaml``: آيت، بن...)
        takes the next word."""
        tags = list(tags)
        for label, s, e in spans_from_tags(tags):
            if label != "PER":
                continue
            s0, e0 = s, e
            while e - s > 1 and _is_title(words[s], self.title_words):
                s += 1
            while (e < len(words) and match_form(words[e - 1]) in self.particles and words[e][:1].isalpha()
                   and tags[e] == "O"):
                e += 1
            if (s, e) != (s0, e0):
                for i in range(s0, e0):
                    tags[i] = "O"
                tags[s] = "B-PER"
                for i in range(s + 1, e):
                    tags[i] = "I-PER"
        return tags

    def _is_demonym(self, word: str) -> bool:
        """A definite nationality adjective of a country of the gazetteer (الإيطالية، المصري)."""
        f = match_form(word)
        if not f.startswith("ال") or len(f) < 5:
            return False
        return f[2:-2] in self.demonym_stems if f.endswith("يه") else f.endswith("ي") and f[2:-1] in self.demonym_stems

    def join_heads(self, words: list[str], tags: list[str]) -> list[str]:
        """Construct-form names (``data/ar/ner.yaml``): an untagged, indefinite head noun of
        ``name_heads`` (حكومة، مستشفى، ولاية...; attached proclitics allowed) directly followed by a
        PER or LOC span, by the model or the gazetteer, becomes one span of the head's label with it
        (an ORG goes on over its ل-complements); an untagged definite state noun of ``state_heads``
        (الجمهورية، المملكة) followed by a nationality adjective (and more definite adjectives in ية)
        becomes one LOC with them (الجمهورية الكوبية، المملكة الأردنية الهاشمية). Heads are read right
        to left, so a head before a construct name takes it whole (حكومة [جمهورية X]); inside a
        model span, و + a definite institution noun starts a new name (X والسفارة الأمريكية)."""
        tags = list(tags)
        gaz = None
        n = len(words)
        if self.split_and:  # X والسفارة الأمريكية: و + a definite institution noun starts another name
            for k in range(1, n):
                f = match_form(words[k])
                if tags[k].startswith("I-") and f.startswith("وال") and (f[3:] in self.heads or f[3:] in self.demonym_heads):
                    tags[k] = "B-" + tags[k][2:]
        for i in range(n - 2, -1, -1):  # right to left: حكومة [جمهورية X] after جمهورية X
            if tags[i] != "O":
                continue
            form = match_form(words[i])
            pre, stem = strip_proclitics(form)
            if pre.endswith(("ال", "لل")) and stem in self.demonym_heads and i + 1 < n and tags[i + 1] == "O" \
                    and self._is_demonym(words[i + 1]):  # الحكومة الإيطالية، السفارة المصرية
                tags[i:i + 2] = ["B-ORG", "I-ORG"]
                continue
            if pre.endswith(("ال", "لل")) and stem in self.state_heads:
                j = i + 1
                while j < n and tags[j] == "O" and (self._is_demonym(words[j]) if j == i + 1 else _is_nisba(words[j])):
                    j += 1
                if j > i + 1:
                    tags[i:j] = ["B-LOC"] + ["I-LOC"] * (j - i - 1)
                continue
            label = self.heads.get(form) or (None if pre.endswith(("ال", "لل")) else self.heads.get(stem))
            if label is None:  # الحكومة اليابانية is not a construct
                continue
            if gaz is None:
                gaz = self.lexicon.token_tags(words)
            j = i + 1
            if tags[i + 1] in ("B-PER", "B-LOC"):
                j = i + 2
                while j < n and tags[j] == "I-" + tags[i + 1][2:]:
                    j += 1
            if gaz[i + 1] in ("B-PER", "B-LOC"):  # the gazetteer's name, if longer (جنوب السودان)
                k = i + 2
                while k < n and gaz[k] == "I-" + gaz[i + 1][2:]:
                    k += 1
                j = max(j, k)
            if j == i + 1:
                continue
            while j < n and tags[j].startswith("I-"):  # a model span that went on past the name
                j += 1
            if label == "ORG":  # مؤسسة X للعلوم والصحة: the name goes on over its ل-complements
                while j < n and tags[j] == "O" and _is_lam_complement(words[j], words[j - 1]):
                    j += 1
            while j < n and tags[j] == "O" and _is_relative_adjective(words[j]):  # مستشفى X الجامعي
                j += 1
            tags[i:j] = ["B-" + label] + ["I-" + label] * (j - i - 1)
        return tags

    def _mention(self, text: str, toks: list[Token], s: int, e: int, trim: bool = True,
                 rests: set[str] | None = None) -> Mention | None:
        start = toks[s].start
        if trim:
            start += proclitic_length(toks[s].text, self.known, rests)
        end = toks[e - 1].end
        if start >= end:
            return None
        return Mention(start=start, end=end, text=text[start:end])

    def _model_tags(self, words: list[str]) -> tuple[list[str], list[float]]:
        tags = self._crf.tag(self.featurizer(words))
        probs = [self._crf.marginal(t, i) for i, t in enumerate(tags)] if self.scores else []
        return tags, probs

    def _gazetteer_items(self, text: str, model_items: list[tuple[str, Mention, int]],
                         ) -> list[tuple[str, Mention, int]]:
        found = [(label, m) for label, m, _key in self.gazetteer.find(text) if label in LABELS]
        # a model span made only of known names joined by proclitics/punctuation
        # (منظمة الصحة العالمية والمغرب) is split into those names
        split = [mi for mi in model_items if _only_known_names(text, mi[1], [m for _, m in found])]
        for mi in split:
            model_items.remove(mi)
        # the gazetteer wins over a model span it equals or covers (a longer model span is kept),
        # or, without gazetteer_overrides, only fills gaps between model spans
        def priority(m: Mention) -> int:
            if not self.gazetteer_overrides and _overlaps_longer(m, model_items, any_length=True):
                return 0  # the model span wins whatever its length
            return 1 if _overlaps_longer(m, model_items) else 2

        return [(label, m, priority(m)) for label, m in found]

    def tag(self, record: Record) -> list[tuple[str, Mention]]:
        """Flat (label, mention) pairs of the record's text, labels PER/ORG/LOC/DATE."""
        text = record.text
        sents = token_sentences(text)
        words = [[t.text for t in toks] for toks in sents]
        if self._lstm is not None:
            tagged = [(t, []) for t in self._lstm.tag_sentences(words)]
        else:
            tagged = [self._model_tags(w) for w in words]
        tags = [self.fix_tags(w, t) if self.rules else list(t) for w, (t, _) in zip(words, tagged)]
        if self.construct:
            tags = [self.join_heads(w, t) for w, t in zip(words, tags)]
        if self.propagate:
            tags = propagate_names(words, tags)
        items: list[tuple[str, Mention, int]] = []
        # first words of the document's names: evidence that a proclitic is cut elsewhere (بجوبا
        # where جوبا is also named alone)
        rests = {match_form(w[s]) for w, tg in zip(words, tags) for _, s, _ in spans_from_tags(tg)}
        for toks, (orig, probs), tg in zip(sents, tagged, tags):
            for label, s, e in spans_from_tags(tg):
                m = self._mention(text, toks, s, e, rests=rests)
                if m is None:
                    continue
                if probs and all(orig[i] == tg[i] for i in range(s, e)) and (e == len(tg) or orig[e] == tg[e]):
                    m.score = round(min(probs[s:e]), 4)
                items.append((label, m, 1))
        if self.use_gazetteer:
            items += self._gazetteer_items(text, items)
        if self.use_dates:
            items += [("DATE", m, 3) for m in _find_dates(text, record.date)]
        return resolve_overlaps(items)

    def tag_batch(self, records: list[Record]) -> list[list[tuple[str, Mention]]]:
        """``tag`` for each record."""
        return [self.tag(r) for r in records]


def _rules() -> dict:
    import yaml

    path = data_path("ar", "ner.yaml")
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.is_file() else {}


def title_words() -> set[str]:
    """Matching forms of the one-word job titles and honorifics of ``data/ar/titles.yaml`` that are
    left out at the start of a PER span: honorifics as written (السيد، معالي، الشيخ), and heads with
    the article (الوزير، الأميرة), since a bare head may also be a given name (أميرة، أمين، سلطان);
    empty when the file is absent."""
    import yaml

    path = data_path("ar", "titles.yaml")
    if not path.is_file():
        return set()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out = set()
    for w in data.get("honorifics") or []:
        if isinstance(w, str) and len(w.split()) == 1:
            out.add(match_form(w))
    for w in data.get("heads") or []:
        if isinstance(w, str) and len(w.split()) == 1:
            f = match_form(w)
            out.add(f if f.startswith("ال") else "ال" + f)
    return out


def _is_title(word: str, titles: set[str]) -> bool:
    """True when ``word``, with or without one-letter proclitics (والدكتور), is one of ``titles``."""
    from .ar_features import proclitic_variants

    return any(rest in titles for _, rest in proclitic_variants(match_form(word)))


def demonym_stems(lexicon: Lexicon) -> set[str]:
    """Stems of the nationality adjectives of the gazetteer's one-word LOC names: the name without
    its article and without a final ا, يا or ية (إيطاليا -> ايطال for الإيطالية, مصر -> مصر)."""
    out = set()
    for forms, entry in lexicon.entries.items():
        if entry.label != "LOC" or len(forms) != 1:
            continue
        c = forms[0][2:] if entry.surface.startswith("ال") else forms[0]  # not ألمانيا
        if len(c) < 3:
            continue
        out.add(c)
        if (c.endswith("يا") or c.endswith("يه")) and len(c) > 4:  # إيطاليا، السعودية
            out.add(c[:-2])
        elif c.endswith("ا") and len(c) > 3:
            out.add(c[:-1])
    return out


def _is_relative_adjective(word: str) -> bool:
    """A definite relative adjective (ending in ي or ية) that may close an institution's or a
    place's name: الحكومي، الجامعي، الدولي، الطبية (not الذي، التي)."""
    f = match_form(word)
    return f.startswith("ال") and len(f) > 5 and (f.endswith("ي") or f.endswith("يه"))


def _is_nisba(word: str) -> bool:
    """A definite adjective ending in ية (الكوبية، الهاشمية), no proclitic before the article."""
    f = match_form(word)
    return f.startswith("ال") and f.endswith("يه") and len(f) > 5


def _is_lam_complement(word: str, prev: str) -> bool:
    """True for ``لل`` + noun (للعلوم), or ``وال`` + noun right after one (للعلوم والصحة)."""
    f = match_form(word)
    if f.startswith("لل") and len(f) > 4:
        return True
    p = match_form(prev)
    return f.startswith("وال") and len(f) > 5 and (p.startswith("لل") or p.startswith("وال"))


def _only_known_names(text: str, span: Mention, names: list[Mention]) -> bool:
    """True when ``span`` holds at least two of ``names`` and nothing else but spaces,
    punctuation and at most two proclitic letters before each name."""
    inside = [m for m in names if span.start <= m.start and m.end <= span.end]
    if len(inside) < 2:
        return False
    pos = span.start
    for m in sorted(inside, key=lambda m: m.start):
        gap = "".join(ch for ch in text[pos:m.start] if ch.isalpha())
        if len(gap) > 2 or any(ch not in "وفبلك" for ch in gap):
            return False
        pos = m.end
    return not any(ch.isalpha() for ch in text[pos:span.end])


def _overlaps_longer(m: Mention, items: list[tuple[str, Mention, int]], any_length: bool = False) -> bool:
    """True when a model mention overlapping ``m`` is longer than ``m`` (or, with ``any_length``,
    of any length): the model span is kept."""
    return any(o.start < m.end and m.start < o.end and (any_length or (o.end - o.start) > (m.end - m.start))
               for _, o, _ in items)


def _find_dates(text: str, doc_date: str | None) -> list[Mention]:
    try:
        from .dates import find_dates
    except ImportError:  # the DATE engine is not installed in this checkout
        return []
    return list(find_dates(text, "ar", doc_date))


def load_tagger(backend: str = "crf", path: str | Path | None = None, **options: Any):
    """The Arabic tagger: ``backend="crf"`` (shipped model, options of ``ArabicTagger``) or
    ``backend="hf"`` with ``path`` = a local Hugging Face token-classification model folder."""
    if backend == "crf":
        return ArabicTagger(**options)
    if backend == "hf":
        if path is None:
            raise ValueError("backend='hf' needs path=DIR, a local Hugging Face token-classification model folder")
        from .backends.hf import HfTagger

        return HfTagger(path, **options)
    if backend == "stanza":  # a user's own Stanza model, dir=<stanza_resources folder>
        from .backends.stanza import StanzaTagger

        return StanzaTagger("ar", **options)
    raise ValueError(f"unknown Arabic NER backend {backend!r}; use 'crf', 'hf' or 'stanza'")


def propagate_names(doc_tokens: list[list[str]], doc_tags: list[list[str]]) -> list[list[str]]:
    """Document-level consistency: a word sequence tagged as a name somewhere in the document
    is tagged the same wherever it occurs untagged (compared on proclitic-stripped matching
    forms, so ``الأعرجي`` also marks ``والأعرجي``). Returns new tag lists."""
    from .ar_features import match_form, strip_proclitics

    def key(tok: str) -> str:
        return strip_proclitics(match_form(tok))[1]

    names: dict[tuple[str, ...], str] = {}
    for toks, tags in zip(doc_tokens, doc_tags):
        for label, s, e in spans_from_tags(tags):
            k = tuple(key(t) for t in toks[s:e])
            if all(len(x) > 2 for x in k):
                names.setdefault(k, label)
    if not names:
        return [list(t) for t in doc_tags]
    max_len = max(len(k) for k in names)
    out = []
    for toks, tags in zip(doc_tokens, doc_tags):
        tags = list(tags)
        keys = [key(t) for t in toks]
        i = 0
        while i < len(toks):
            hit = None
            for n in range(min(max_len, len(toks) - i), 0, -1):
                lab = names.get(tuple(keys[i:i + n]))
                if lab and all(t == "O" for t in tags[i:i + n]) and (i + n == len(toks) or not tags[i + n].startswith("I-")):
                    hit = (n, lab)
                    break
            if hit:
                n, lab = hit
                tags[i] = "B-" + lab
                for j in range(i + 1, i + n):
                    tags[j] = "I-" + lab
                i += n
            else:
                i += 1
        out.append(tags)
    return out
