"""Run a local Hugging Face token-classification model (e.g. a CAMeLBERT NER checkpoint).

Needs the optional ``hf`` extra (``transformers`` on top of the installed
torch). Nothing is downloaded: ``path`` must be a folder holding the model
(``config.json``, weights) and a fast tokenizer. Offsets come from the fast
tokenizer's ``offset_mapping`` over the raw text, so they are raw-text
indices; a word's label is its first sub-token's. Labels are read from
``config.id2label`` (``B-PERS``/``I-PER``/``B-LOC``... ; MISC and unknown
classes are dropped) and mapped to PER/ORG/LOC; Arabic proclitics are trimmed
with the same rule as the CRF tagger.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...record import Mention, Record
from ...text.tokenize import sentences
from ..ar_lexicon import Lexicon, proclitic_length

__all__ = ["HfTagger", "LABEL_MAP"]

LABEL_MAP = {"PER": "PER", "PERS": "PER", "PERSON": "PER", "ORG": "ORG", "ORGANIZATION": "ORG",
             "LOC": "LOC", "LOCATION": "LOC", "GPE": "LOC"}


class HfTagger:
    """Token-classification model from a local folder, as an Arabic NER tagger."""

    def __init__(self, path: str | Path, max_length: int = 512, dates: bool = True, trim_proclitics: bool = True,
                 device: str = "cpu"):
        try:
            import torch
            from transformers import AutoModelForTokenClassification, AutoTokenizer
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise ImportError("the 'hf' backend needs transformers: pip install 'healthcoop-nlp[hf]'") from e
        path = Path(path)
        if not (path / "config.json").is_file():
            raise FileNotFoundError(f"{path} holds no config.json; pass path=DIR of a local Hugging Face "
                                    "token-classification model (nothing is downloaded)")
        self.torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
        if not getattr(self.tokenizer, "is_fast", False):
            raise ValueError(f"{path}: a fast tokenizer (tokenizer.json) is needed for character offsets")
        self.model = AutoModelForTokenClassification.from_pretrained(str(path), local_files_only=True)
        self.model.eval().to(device)
        self.device = device
        self.max_length = max_length
        self.id2label = {int(k): v for k, v in self.model.config.id2label.items()}
        self.use_dates = dates
        self.trim = trim_proclitics
        self.known = Lexicon.load().forms() if trim_proclitics else set()

    def _label(self, raw: str) -> tuple[str, str]:
        """(prefix, label) of a model label; label '' when not PER/ORG/LOC."""
        prefix, _, cls = raw.partition("-") if "-" in raw else ("O", "", "")
        return prefix.upper(), LABEL_MAP.get(cls.upper(), "")

    def _tag_span(self, text: str, start: int, end: int) -> list[tuple[str, Mention]]:
        chunk = text[start:end]
        enc = self.tokenizer(chunk, return_offsets_mapping=True, truncation=True, max_length=self.max_length,
                             return_tensors="pt")
        offsets = enc.pop("offset_mapping")[0].tolist()
        with self.torch.no_grad():
            logits = self.model(**{k: v.to(self.device) for k, v in enc.items()}).logits[0]
        probs = logits.softmax(-1)
        best = probs.argmax(-1).tolist()
        word_ids = enc.word_ids(0) if hasattr(enc, "word_ids") else [None] * len(offsets)
        # one label per word: its first sub-token's; the word spans all its sub-tokens
        words: list[list[Any]] = []  # [start, end, prefix, label, score]
        prev_wid = None
        for i, (s, e) in enumerate(offsets):
            wid = word_ids[i]
            if wid is None or s == e:
                continue
            if wid == prev_wid and words:
                words[-1][1] = e
                continue
            prev_wid = wid
            prefix, label = self._label(self.id2label[best[i]])
            words.append([s, e, prefix, label, float(probs[i, best[i]])])
        out: list[tuple[str, Mention]] = []
        cur: list[Any] | None = None
        for s, e, prefix, label, score in words + [[0, 0, "O", "", 1.0]]:
            if cur is not None and label == cur[0] and prefix == "I":
                cur[2] = e
                cur[3] = min(cur[3], score)
                continue
            if cur is not None:
                out.append(self._mention(text, start, *cur))
                cur = None
            if label:
                cur = [label, s, e, score]
        return [m for m in out if m is not None]

    def _mention(self, text: str, base: int, label: str, s: int, e: int, score: float):
        s, e = base + s, base + e
        if self.trim:
            word_end = s
            while word_end < e and not text[word_end].isspace():
                word_end += 1
            s += proclitic_length(text[s:word_end], self.known)
        if s >= e:
            return None
        return label, Mention(start=s, end=e, text=text[s:e], score=round(score, 4))

    def tag(self, record: Record) -> list[tuple[str, Mention]]:
        """Flat (label, mention) pairs over ``record.text``; DATE from ``ner.dates`` when enabled."""
        from ..ar import _find_dates, resolve_overlaps

        text = record.text
        items = []
        for s, e in sentences(text):
            items += [(lab, m, 1) for lab, m in self._tag_span(text, s, e)]
        if self.use_dates:
            items += [("DATE", m, 3) for m in _find_dates(text, record.date)]
        return resolve_overlaps(items)

    def tag_batch(self, records: list[Record]) -> list[list[tuple[str, Mention]]]:
        """``tag`` for each record."""
        return [self.tag(r) for r in records]
