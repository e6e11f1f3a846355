"""Run a local Hugging Face token-classification model (e.g. a CAMeLBERT NER checkpoint).

Needs the optional ``hf`` extra (``transformers`` on top of the installed
torch). Nothing is downloaded: ``path`` must be a folder holding the model
(``config.json``, weights) and a fast tokenizer. Offsets come from the fast
tokenizer's ``offset_mapping`` over the raw text, so they are raw-text
indices; a word's label is its first sub-token's. Labels are read from
``config.id2label`` (``B-PERS``/``I-PER``/``B-LOC``... ; MISC and unknown
classes are dropped) and mapped to PER/ORG/LOC; Arabic proclitics are trimmed
with the same rule as the CRF tagger, and DATE added, by ``backends.common``.
"""

from __future__ import annotations

from pathlib import Path

from ...record import Mention, Record
from ...text.tokenize import sentences
from .common import LABEL_MAP, CliticTrimmer, WordTag, decode, finish

__all__ = ["HfTagger", "LABEL_MAP"]


class HfTagger:
    """Token-classification model from a local folder, as an Arabic NER tagger."""

    def __init__(self, path: str | Path, max_length: int = 512, dates: bool = True, trim_proclitics: bool = True,
                 device: str = "cpu", lang: str = "ar"):
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
        self.lang = lang
        self.trimmer = CliticTrimmer.load(lang) if trim_proclitics else None

    def _tag_span(self, text: str, start: int, end: int) -> list[tuple[str, int, int, float]]:
        """Labelled raw-text spans of the model over ``text[start:end]``."""
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
        words: list[WordTag] = []
        prev_wid = None
        for i, (s, e) in enumerate(offsets):
            wid = word_ids[i]
            if wid is None or s == e:
                continue
            if wid == prev_wid and words:
                words[-1].end = start + e
                continue
            prev_wid = wid
            words.append(WordTag(start + s, start + e, self.id2label[best[i]], float(probs[i, best[i]])))
        return decode(words)

    def tag(self, record: Record) -> list[tuple[str, Mention]]:
        """Flat (label, mention) pairs over ``record.text``; DATE from ``ner.dates`` when enabled."""
        text = record.text
        spans = []
        for s, e in sentences(text):
            spans += self._tag_span(text, s, e)
        return finish(text, self.lang, record.date, spans, self.trimmer, dates=self.use_dates)

    def tag_batch(self, records: list[Record]) -> list[list[tuple[str, Mention]]]:
        """``tag`` for each record."""
        return [self.tag(r) for r in records]
