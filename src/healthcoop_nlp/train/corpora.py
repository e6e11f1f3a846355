"""Readers for the Arabic NER training corpora (ANERcorp, NewsFANE Gold, WikiANN).

Every reader returns a list of ``Sentence`` (tokens and IOB2 tags over PER, ORG,
LOC; other classes become ``O``), so the corpora can be mixed freely.
"""

from __future__ import annotations

import re
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from ..text.normalize import dediacritize, fold_arabic_letters

__all__ = [
    "Sentence", "read_anercorp", "read_newsfane", "read_wikiann", "NEWSFANE_COARSE",
    "sentence_key", "dedupe_against", "drop_near_duplicates", "repair_iob", "split_dev",
    "Projection", "project_spans", "HcDoc", "read_hcnews", "split_docs",
]

LABELS = ("PER", "ORG", "LOC")


@dataclass
class Sentence:
    """One training sentence: parallel token and IOB2 tag lists."""

    tokens: list[str]
    tags: list[str]


# NewsFANE fine class -> coarse label of this project (None: not a PER/ORG/LOC mention).
# Checked against the guide: PER = named people only (ACE's PER.Group is mostly
# demonyms and group nouns such as "الفلسطينيين", which the guide excludes);
# GPE, natural locations and facilities (named buildings, airports, roads) are LOC;
# vehicles, weapons and products (ANERcorp's MISC) are dropped.
NEWSFANE_COARSE: dict[str, str | None] = {
    **{c: "PER" for c in ("Politician", "Athlete", "Artist", "Other_PER", "Religious_PER",
                          "Scientist", "Businessperson", "Lawyer", "Engineer")},
    "Group": None,
    **{c: "ORG" for c in ("Government", "Non-Governmental", "Media", "Sports", "Commercial",
                          "Educational", "Medical-Science", "Entertainment", "Religious_ORG",
                          "Police")},
    **{c: "LOC" for c in ("Nation", "Population-Center", "State-or-Province", "GPE-Cluster",
                          "County-or-District", "Continent", "Water-Body", "Land-Region-Natural",
                          "Land", "Celestial", "Building-Grounds", "Subarea-Facility", "Path",
                          "Airport", "Plant")},
    **{c: None for c in ("Air", "Water", "Projectile", "Shooting", "Book", "Movie", "Software",
                         "Hardware", "Food", "Drug")},
}

_ANER_MAP = {"PERS": "PER", "PER": "PER", "ORG": "ORG", "LOC": "LOC"}


def _coarse(tag: str, mapping: dict[str, str | None]) -> str:
    if tag == "O" or "-" not in tag:
        return "O"
    prefix, _, cls = tag.partition("-")
    if cls not in mapping:
        raise ValueError(f"unknown entity class {cls!r} in tag {tag!r}; add it to the class mapping")
    label = mapping[cls]
    return "O" if label is None else f"{prefix}-{label}"


def repair_iob(tags: list[str]) -> list[str]:
    """IOB2 repair: an ``I-X`` that does not continue an ``X`` mention becomes ``B-X``."""
    out = []
    prev = "O"
    for t in tags:
        if t.startswith("I-") and prev[2:] != t[2:]:
            t = "B-" + t[2:]
        out.append(t)
        prev = t
    return out


def _blocks(lines: Iterable[str]) -> Iterable[list[str]]:
    block: list[str] = []
    for line in lines:
        if line.strip():
            block.append(line)
        elif block:
            yield block
            block = []
    if block:
        yield block


def read_anercorp(path: str | Path) -> list[Sentence]:
    """ANERcorp (CAMeL Lab split): ``token TAG`` lines, blank line between sentences.

    MISC becomes ``O``; the known fused line (``. Oالإصابة O``) is split into
    its two tokens.
    """
    out = []
    with open(path, encoding="utf-8") as f:
        for block in _blocks(f):
            toks, tags = [], []
            for line in block:
                parts = line.split()
                if len(parts) == 3 and parts[1].startswith("O") and len(parts[1]) > 1:
                    # defect: "tok O<next token> TAG"
                    toks += [parts[0], parts[1][1:]]
                    tags += ["O", parts[2]]
                    continue
                if len(parts) < 2:
                    raise ValueError(f"{path}: cannot read line {line!r}; expected 'token TAG'")
                # a few test lines hold two words before the tag: split them
                *words, tag = parts
                for i, w in enumerate(words):
                    toks.append(w)
                    tags.append(tag if i == 0 or tag == "O" else "I-" + tag[2:])
            tags = repair_iob([_coarse(t, {**_ANER_MAP, "MISC": None}) for t in tags])
            out.append(Sentence(toks, tags))
    return out


# NewsFANE is clitic-segmented; these standalone tokens are re-attached so that
# tokens look like raw news text (and ANERcorp): proclitics to the next token,
# pronoun enclitics to the previous one.
_PROCLITICS = {"و", "ف", "ب", "ل", "ك", "س"}
_ENCLITICS = {"ه", "ها", "هم", "هما", "هن", "كم", "كما", "كن", "نا", "ي", "ني"}
_AR_WORD = re.compile(r"^[\u0621-\u064A]+$")


def _reattach(tokens: list[str], tags: list[str]) -> tuple[list[str], list[str]]:
    toks: list[str] = []
    out: list[str] = []
    pending = ""  # proclitics waiting for their host
    pending_tag = None
    for tok, tag in zip(tokens, tags):
        if tok in _PROCLITICS and tag == "O":
            pending += tok
            pending_tag = tag
            continue
        if tok in _ENCLITICS and tag == "O" and toks and _AR_WORD.match(toks[-1]) and not pending:
            toks[-1] += tok
            continue
        if pending:
            if _AR_WORD.match(tok):
                # ل + ال is written لل (the alef drops): ل الاتحاد -> للاتحاد
                tok = pending + (tok[1:] if pending.endswith("ل") and tok.startswith("ال") else tok)
            else:
                toks.append(pending)
                out.append(pending_tag or "O")
            pending = ""
        toks.append(tok)
        out.append(tag)
    if pending:
        toks.append(pending)
        out.append("O")
    return toks, out


def read_newsfane(path: str | Path, reattach: bool = True) -> list[Sentence]:
    """NewsFANE Gold: ``token<TAB>TAG`` lines (BOM, CRLF, U+200E marks), fine classes
    mapped to PER/ORG/LOC by ``NEWSFANE_COARSE``; clitics re-attached when ``reattach``."""
    out = []
    with open(path, encoding="utf-8-sig") as f:
        text = f.read().replace("\r\n", "\n").replace("\u200e", "").replace("\ufeff", "")
    block_t: list[str] = []
    block_g: list[str] = []
    for line in text.split("\n") + [""]:
        tok, _, tag = line.partition("\t")
        tok, tag = tok.strip(), tag.strip()
        if not tok:
            if block_t:
                tags = repair_iob([_coarse(t, NEWSFANE_COARSE) for t in block_g])
                toks = block_t
                if reattach:
                    toks, tags = _reattach(toks, tags)
                out.append(Sentence(toks, repair_iob(tags)))
            block_t, block_g = [], []
            continue
        block_t.append(tok)
        block_g.append(tag or "O")
    return out


def read_wikiann(path: str | Path) -> list[Sentence]:
    """WikiANN / PAN-X: ``ar:token<TAB>TAG`` lines, blank line between sentences."""
    out = []
    with open(path, encoding="utf-8") as f:
        for block in _blocks(f):
            toks, tags = [], []
            for line in block:
                tok, _, tag = line.rstrip("\n").rpartition("\t")
                if tok.startswith("ar:"):
                    tok = tok[3:]
                toks.append(tok)
                tags.append(tag.strip())
            out.append(Sentence(toks, repair_iob([_coarse(t, _ANER_MAP) for t in tags])))
    return out


_NONLETTER = re.compile(r"[^\u0621-\u064Aa-z0-9]")


def sentence_key(tokens: list[str]) -> str:
    """A tokenisation- and spelling-insensitive key of a sentence's text, for deduplication."""
    s = fold_arabic_letters(dediacritize("".join(tokens).lower()))
    return _NONLETTER.sub("", s)


def dedupe_against(sents: list[Sentence], *others: list[Sentence], min_chars: int = 12) -> list[Sentence]:
    """``sents`` without sentences whose text occurs in ``others`` and without repeats
    (sentences shorter than ``min_chars`` letters are kept: too short to identify)."""
    seen = {sentence_key(s.tokens) for o in others for s in o}
    out = []
    own: set[str] = set()
    for s in sents:
        k = sentence_key(s.tokens)
        if len(k) >= min_chars and (k in seen or k in own):
            continue
        own.add(k)
        out.append(s)
    return out


def _word_ngrams(tokens: list[str], n: int = 3) -> set[tuple[str, ...]]:
    words = [w for w in (sentence_key([t]) for t in tokens) if w]
    return {tuple(words[i:i + n]) for i in range(max(1, len(words) - n + 1))}


def drop_near_duplicates(sents: list[Sentence], *others: list[Sentence], threshold: float = 0.3,
                         n: int = 3) -> list[Sentence]:
    """``sents`` without those sharing at least ``threshold`` of their word ``n``-grams with
    a sentence of ``others`` (NewsFANE re-annotates ANERcorp text with other tokenisation,
    so exact-text deduplication misses copies)."""
    seen: set[tuple[str, ...]] = set()
    for o in others:
        for s in o:
            seen |= _word_ngrams(s.tokens, n)
    out = []
    for s in sents:
        grams = _word_ngrams(s.tokens, n)
        if grams and len(grams & seen) / len(grams) >= threshold:
            continue
        out.append(s)
    return out


def split_dev(sents: list[Sentence], every: int = 10) -> tuple[list[Sentence], list[Sentence]]:
    """A deterministic train/dev split: every ``every``-th block of 10 sentences goes to dev."""
    train, dev = [], []
    for i, s in enumerate(sents):
        (dev if (i // 10) % every == every - 1 else train).append(s)
    return train, dev


# -- hcnews: gold records with character offsets -> token tags --------------------------------

_CLITIC_LETTERS = "وفبلك"
_MARKS = re.compile(r"[\u0610-\u061A\u064B-\u065F\u0670\u0640]")


def _proclitic_prefix(prefix: str) -> bool:
    """True when ``prefix`` (the part of a token before a gold span's start) is one or two
    one-letter proclitics (و ف ب ل ك), with any diacritics: the guide keeps them outside."""
    letters = _MARKS.sub("", prefix)
    return 0 < len(letters) <= 2 and all(ch in _CLITIC_LETTERS for ch in letters)


@dataclass
class Projection:
    """Gold character spans projected onto the tagger's sentences and tokens."""

    sentences: list[Sentence]
    spans: int = 0  # gold spans of the wanted labels
    misaligned: list[tuple[str, int, int, str]] = field(default_factory=list)  # (label, start, end, text)


def project_spans(text: str, spans: Iterable[tuple[str, int, int]], labels: Iterable[str] = LABELS) -> Projection:
    """Tokenise ``text`` as the Arabic tagger does (``ner.ar_features.token_sentences``) and
    tag the tokens with the gold ``(label, start, end)`` character spans in IOB2.

    A span aligns when it ends at a token end and starts at a token start or after one or two
    attached proclitics of its first token (``و[المغرب]``, ``ل[لمنظمة]``): the whole token is
    tagged, as in ANERcorp, and the tagger cuts the proclitic again. Any other span (inside a
    word, across a sentence break) is left untagged and listed in ``misaligned``; labels not in
    ``labels`` (e.g. DATE for this model) are ``O``.
    """
    from ..ner.ar_features import token_sentences

    wanted = set(labels)
    sents = token_sentences(text)
    starts: dict[int, tuple[int, int]] = {}  # char offset of a token start -> (sentence, token)
    ends: dict[int, tuple[int, int]] = {}
    inside: dict[int, tuple[int, int]] = {}  # any char offset inside a token -> (sentence, token)
    for si, toks in enumerate(sents):
        for ti, t in enumerate(toks):
            starts[t.start] = (si, ti)
            ends[t.end] = (si, ti)
            for k in range(t.start, t.end):
                inside[k] = (si, ti)
    tags = [["O"] * len(toks) for toks in sents]
    out = Projection([])
    for label, start, end in sorted(spans, key=lambda x: (x[1], x[2])):
        if label not in wanted:
            continue
        out.spans += 1
        first = starts.get(start)
        if first is None and start in inside:
            si, ti = inside[start]
            if _proclitic_prefix(text[sents[si][ti].start:start]):
                first = (si, ti)
        last = ends.get(end)
        if first is None or last is None or first[0] != last[0] or last[1] < first[1] \
                or any(t != "O" for t in tags[first[0]][first[1]:last[1] + 1]):
            out.misaligned.append((label, start, end, text[start:end]))
            continue
        si = first[0]
        tags[si][first[1]] = "B-" + label
        for k in range(first[1] + 1, last[1] + 1):
            tags[si][k] = "I-" + label
    out.sentences = [Sentence([t.text for t in toks], tg) for toks, tg in zip(sents, tags)]
    return out


@dataclass
class HcDoc:
    """One hcnews article projected onto tokens."""

    id: str
    projection: Projection


def read_hcnews(folder: str | Path, lang: str = "ar", labels: Iterable[str] = LABELS) -> list[HcDoc]:
    """The ``lang`` articles of an hcnews split (``folder/gold.jsonl``: records with ``text`` and
    entities with character offsets), in file order, projected by ``project_spans``."""
    path = Path(folder) / "gold.jsonl"
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found; pass --hcnews DIR (an hcnews split holding gold.jsonl) "
                                "or --hcnews-weight 0 to train without it")
    labels = tuple(labels)
    return [HcDoc(doc_id, project_spans(text, spans, labels)) for doc_id, text, spans in hcnews_gold(path, lang)]


def hcnews_gold(path: str | Path, lang: str) -> Iterator[tuple[str, str, list[tuple[str, int, int]]]]:
    """``(id, text, [(label, start, end), ...])`` of the ``lang`` records of an hcnews ``gold.jsonl``,
    in file order; a record without ``text`` is an error naming its line."""
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            rec = json.loads(line)
            if rec.get("lang") != lang:
                continue
            if "text" not in rec:
                raise ValueError(f"{path}:{n}: record {rec.get('id')!r} has no 'text'; hcnews gold records carry it")
            yield rec["id"], rec["text"], [(e["label"], m["start"], m["end"]) for e in rec.get("entities", [])
                                          for m in e["mentions"]]


def split_docs(docs: list[HcDoc], every: int) -> tuple[list[HcDoc], list[HcDoc]]:
    """A deterministic split by article: every ``every``-th article (0: none) is held out."""
    if every <= 0:
        return list(docs), []
    train = [d for i, d in enumerate(docs) if i % every != every - 1]
    held = [d for i, d in enumerate(docs) if i % every == every - 1]
    return train, held
