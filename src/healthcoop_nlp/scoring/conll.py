"""Token/tag NER corpora: readers for the public corpora and a conlleval-style scorer.

``read_tagged(path, fmt)`` reads one of the corpora under ``shared/corpora``
into sentences of ``(token, tag)``; ``entity_prf(gold_tags, pred_tags)``
scores predicted tag sequences against gold ones, chunk by chunk, as
conlleval (and seqeval's default mode) does; ``tags_to_spans`` gives the
chunks of one sentence.

Chunk rules (conlleval): a chunk starts at ``B-X``/``S-X``, at an ``I-X`` or
``E-X`` that follows ``O``/``E-``/``S-`` or a tag of another type; it ends
before ``O``, ``B-``, ``S-``, a tag of another type, or after ``E-``/``S-``.
These rules read IOB1 (``I-X`` everywhere, ``B-X`` only between two adjacent
chunks of one type), IOB2 (with stray ``I-`` tags starting a chunk) and
IOBES alike, so no scheme has to be declared.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

from ..io.errors import InputError

__all__ = ["FORMATS", "read_tagged", "tags_to_spans", "spans_to_tags", "to_iob2", "entity_prf", "SENTENCE_FINAL"]

FORMATS = ("conll", "wikiann", "hipe", "europeana", "newsfane")
#: Tokens that end a sentence in a corpus without sentence breaks (Europeana).
SENTENCE_FINAL = frozenset({".", "!", "?", "…", "...", "؟"})

Sentence = list[tuple[str, str]]

# -- chunks ---------------------------------------------------------------------


def _split_tag(tag: str) -> tuple[str, str]:
    """(prefix, type) of a tag: ``B-PER`` -> (``B``, ``PER``); ``O`` -> (``O``, ``""``)."""
    if tag == "O" or not tag:
        return "O", ""
    if len(tag) >= 2 and tag[1] == "-":
        return tag[0], tag[2:]
    return tag[0], tag[1:].split("-", 1)[-1]


def _chunk_end(prev_tag: str, tag: str, prev_type: str, type_: str) -> bool:
    if prev_tag in ("E", "S", "]"):
        return True
    if prev_tag in ("B", "I") and tag in ("B", "S", "O", "["):
        return True
    return prev_tag not in ("O", ".") and prev_type != type_


def _chunk_start(prev_tag: str, tag: str, prev_type: str, type_: str) -> bool:
    if tag in ("B", "S", "["):
        return True
    if prev_tag in ("E", "S", "O") and tag in ("E", "I"):
        return True
    return tag not in ("O", ".") and prev_type != type_


def tags_to_spans(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """The chunks of one sentence as ``(label, start_tok, end_tok)``, ``end_tok`` exclusive."""
    spans: list[tuple[str, int, int]] = []
    prev_tag, prev_type, begin = "O", "", 0
    for i, tag in enumerate(list(tags) + ["O"]):
        t, typ = _split_tag(tag)
        if _chunk_end(prev_tag, t, prev_type, typ):
            spans.append((prev_type, begin, i))
        if _chunk_start(prev_tag, t, prev_type, typ):
            begin = i
        prev_tag, prev_type = t, typ
    return spans


def spans_to_tags(spans: Sequence[tuple[str, int, int]], length: int) -> list[str]:
    """IOB2 tags of a sentence of ``length`` tokens from ``(label, start_tok, end_tok)`` chunks (end exclusive)."""
    out = ["O"] * length
    for label, s, e in sorted(spans, key=lambda x: x[1]):
        if not (0 <= s < e <= length):
            raise ValueError(f"chunk {(label, s, e)} is outside a sentence of {length} tokens")
        out[s] = f"B-{label}"
        for i in range(s + 1, e):
            out[i] = f"I-{label}"
    return out


def to_iob2(tags: Sequence[str]) -> list[str]:
    """The same chunks (as ``tags_to_spans`` reads them) written in IOB2: ``B-X I-X ...``, ``O``."""
    return spans_to_tags(tags_to_spans(tags), len(tags))


# -- scoring --------------------------------------------------------------------


def _prf(correct: int, predicted: int, gold: int) -> dict[str, float | int]:
    p = correct / predicted if predicted else 0.0
    r = correct / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "support": gold, "predicted": predicted, "correct": correct}


def entity_prf(gold_tags: Sequence[Sequence[str]], pred_tags: Sequence[Sequence[str]],
               scheme: str = "auto") -> dict:
    """Chunk-level precision, recall, F1 and support per label and micro-averaged (conlleval).

    A predicted chunk is correct when a gold chunk has the same label, first
    and last token in the same sentence. Returns ``{"labels": {label: {precision,
    recall, f1, support, predicted, correct}}, "micro": {...}, "macro_f1": float,
    "accuracy": token accuracy, "tokens": n, "sentences": n}``. ``scheme`` is
    ``"auto"`` (conlleval's rules, which read IOB1, IOB2 and IOBES).
    """
    if scheme not in ("auto", "conlleval", "iob1", "iob2", "iobes"):
        raise ValueError(f"unknown scheme {scheme!r}; use 'auto' (conlleval chunk rules read IOB1, IOB2 and IOBES)")
    if len(gold_tags) != len(pred_tags):
        raise ValueError(f"{len(gold_tags)} gold sentences but {len(pred_tags)} predicted ones; "
                         "predict one tag sequence per gold sentence")
    correct: dict[str, int] = {}
    n_gold: dict[str, int] = {}
    n_pred: dict[str, int] = {}
    tokens = same = 0
    for i, (g, p) in enumerate(zip(gold_tags, pred_tags)):
        if len(g) != len(p):
            raise ValueError(f"sentence {i}: {len(g)} gold tags but {len(p)} predicted tags; "
                             "predict one tag per gold token")
        tokens += len(g)
        same += sum(1 for a, b in zip(g, p) if a == b)
        gs = set(tags_to_spans(g))
        ps = set(tags_to_spans(p))
        for lab, _, _ in gs:
            n_gold[lab] = n_gold.get(lab, 0) + 1
        for lab, _, _ in ps:
            n_pred[lab] = n_pred.get(lab, 0) + 1
        for lab, _, _ in gs & ps:
            correct[lab] = correct.get(lab, 0) + 1
    labels = sorted(set(n_gold) | set(n_pred))
    per = {lab: _prf(correct.get(lab, 0), n_pred.get(lab, 0), n_gold.get(lab, 0)) for lab in labels}
    micro = _prf(sum(correct.values()), sum(n_pred.values()), sum(n_gold.values()))
    macro = sum(v["f1"] for v in per.values()) / len(per) if per else 0.0
    return {"labels": per, "micro": micro, "macro_f1": macro,
            "accuracy": same / tokens if tokens else 0.0, "tokens": tokens, "sentences": len(gold_tags)}


# -- readers --------------------------------------------------------------------

# ANERcorp's fused line ". Oالإصابة O": a tag glued to the next token.
_FUSED = re.compile(r"^(\S+) (O|[BIES]-[A-Za-z_]+)(\S+) (\S+)$")


def _lines(path: Path, encoding: str = "utf-8") -> Iterable[tuple[int, str]]:
    try:
        with open(path, encoding=encoding, newline="") as f:
            for lineno, line in enumerate(f, 1):
                yield lineno, line.rstrip("\r\n")
    except FileNotFoundError:
        raise InputError(str(path), "no such file; corpora live under ../shared/corpora (see its README.md)") from None
    except UnicodeDecodeError as e:
        raise InputError(str(path), f"not valid UTF-8 ({e.reason} at byte {e.start})") from None


def _read_blank_separated(path: Path, parse: Callable[[Path, str, int], tuple[Sentence, bool]],
                          clean: Callable[[str], str] | None = None) -> list[Sentence]:
    """Sentences of a one-token-a-line file: a blank line ends a sentence, and so does a
    line for which ``parse`` (returning the line's (token, tag) pairs and whether the
    sentence ends there) says so. ``clean`` is applied to each line first."""
    sents: list[Sentence] = []
    cur: Sentence = []
    for lineno, line in _lines(path, "utf-8-sig"):
        if clean is not None:
            line = clean(line)
        if not line.strip():
            if cur:
                sents.append(cur)
                cur = []
            continue
        pairs, ends = parse(path, line, lineno)
        cur.extend(pairs)
        if ends:
            sents.append(cur)
            cur = []
    if cur:
        sents.append(cur)
    return sents


def _token_tag_pairs(path: Path, line: str, lineno: int) -> list[tuple[str, str]]:
    """``token TAG`` (the tag is the last whitespace-separated field)."""
    parts = line.split()
    if len(parts) < 2:
        raise InputError(str(path), f"expected `token TAG`, got {line!r}", line=lineno)
    return [(" ".join(parts[:-1]), parts[-1])]


def _parse_conll(path: Path, line: str, lineno: int) -> tuple[Sentence, bool]:
    m = _FUSED.match(line.strip())
    if m:
        return [(m.group(1), m.group(2)), (m.group(3), m.group(4))], False
    return _token_tag_pairs(path, line, lineno), False


def _read_conll(path: Path) -> list[Sentence]:
    """``token TAG`` per line (the tag is the last field), blank line between sentences."""
    return _read_blank_separated(path, _parse_conll)


def _parse_wikiann(path: Path, line: str, lineno: int) -> tuple[Sentence, bool]:
    parts = line.split("\t")
    if len(parts) < 2:
        raise InputError(str(path), f"expected `xx:token<TAB>TAG`, got {line!r}", line=lineno)
    token = parts[0]
    if len(token) > 3 and token[2] == ":" and token[:2].isalpha():
        token = token[3:]
    return [(token, parts[-1].strip())], False


def _read_wikiann(path: Path) -> list[Sentence]:
    """``xx:token<TAB>TAG`` per line, blank line between sentences; the ``xx:`` prefix is dropped."""
    return _read_blank_separated(path, _parse_wikiann)


def _read_hipe(path: Path) -> list[Sentence]:
    """HIPE-2022 TSV, column NE-COARSE-LIT.

    Comment lines (``# key = value``, no TAB) and the ``TOKEN`` header are
    skipped; a sentence ends at a token whose MISC column has
    ``EndOfSentence``, at a blank line, and at a new document (``#
    hipe2022:document_id``).
    """
    sents: list[Sentence] = []
    cur: Sentence = []
    col_tag, col_misc = 1, 9

    def flush() -> None:
        nonlocal cur
        if cur:
            sents.append(cur)
            cur = []

    for lineno, line in _lines(path, "utf-8-sig"):
        if not line.strip():
            flush()
            continue
        if line.startswith("#") and "\t" not in line:
            if "document_id" in line:
                flush()
            continue
        parts = line.split("\t")
        if parts[0] == "TOKEN":
            col_tag = parts.index("NE-COARSE-LIT") if "NE-COARSE-LIT" in parts else 1
            col_misc = parts.index("MISC") if "MISC" in parts else len(parts) - 1
            continue
        if len(parts) <= col_tag:
            raise InputError(str(path), f"expected HIPE TSV columns, got {line!r}", line=lineno)
        tag = parts[col_tag].strip() or "O"
        cur.append((parts[0], "O" if tag == "_" else tag))
        misc = parts[col_misc] if len(parts) > col_misc else ""
        if "EndOfSentence" in misc.split("|"):
            flush()
    flush()
    return sents


def _parse_europeana(path: Path, line: str, lineno: int) -> tuple[Sentence, bool]:
    pairs = _token_tag_pairs(path, line, lineno)
    return pairs, pairs[0][0] in SENTENCE_FINAL


def _read_europeana(path: Path) -> list[Sentence]:
    """``token TAG`` per line, no sentence breaks: a sentence ends after a sentence-final punctuation token."""
    return _read_blank_separated(path, _parse_europeana)


def _parse_newsfane(path: Path, line: str, lineno: int) -> tuple[Sentence, bool]:
    parts = line.split("\t")
    if len(parts) < 2:
        raise InputError(str(path), f"expected `token<TAB>TAG`, got {line!r}", line=lineno)
    return [(parts[0].strip(), parts[1].strip() or "O")], False


def _read_newsfane(path: Path) -> list[Sentence]:
    """``token<TAB>TAG``, BOM, CRLF, a line holding only a TAB between sentences; U+200E removed."""
    return _read_blank_separated(path, _parse_newsfane, clean=lambda line: line.replace("\u200e", ""))


_READERS = {
    "conll": _read_conll,
    "wikiann": _read_wikiann,
    "hipe": _read_hipe,
    "europeana": _read_europeana,
    "newsfane": _read_newsfane,
}


def read_tagged(path: str | Path, fmt: str, iob2: bool = True,
                label_map: Mapping[str, str | None] | None = None) -> list[list[tuple[str, str]]]:
    """Sentences of ``(token, tag)`` from a tagged corpus file.

    ``fmt`` is one of ``FORMATS``: ``conll`` (``token TAG``, ANERcorp),
    ``wikiann`` (``xx:token<TAB>TAG``), ``hipe`` (HIPE-2022 TSV, NE-COARSE-LIT),
    ``europeana`` (``token TAG``, IOB1, split after sentence-final
    punctuation), ``newsfane`` (NewsFANE Gold). With ``iob2`` (default) the
    tags are rewritten in IOB2 with the same conlleval chunks (IOB1 and stray
    ``I-`` tags become ``B-``). ``label_map`` renames chunk labels (e.g.
    ``{"PERS": "PER"}``); a label mapped to ``None`` becomes ``O``.
    """
    if fmt not in _READERS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    sents = _READERS[fmt](Path(path))
    if not iob2 and label_map is None:
        return sents
    out: list[Sentence] = []
    for sent in sents:
        tokens = [t for t, _ in sent]
        tags = [g for _, g in sent]
        if label_map is not None:
            new = ["O"] * len(tags)
            for lab, s, e in tags_to_spans(tags):
                lab2 = label_map.get(lab, lab)
                if lab2 is None:
                    continue
                new[s] = f"B-{lab2}"
                for i in range(s + 1, e):
                    new[i] = f"I-{lab2}"
            tags = new
        elif iob2:
            tags = to_iob2(tags)
        out.append(list(zip(tokens, tags)))
    return out
