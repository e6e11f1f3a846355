"""Run a user's own Stanza NER model (e.g. Arabic AQMAR, French WikiNER) from a local ``stanza_resources``.

Needs the optional ``stanza`` extra (``pip install 'healthcoop-nlp[stanza]'``).
Nothing is downloaded: the pipeline runs with ``download_method=None`` on
``dir``, a folder laid out as ``stanza.download`` leaves it
(``resources.json``, ``<lang>/ner/<package>.pt`` and the NER model's
dependencies such as ``<lang>/pretrain/*.pt`` and ``<lang>/forward_charlm/*.pt``).

Stanza's tokenizer is bypassed (``tokenize_pretokenized``): the project's
offset-preserving sentences and tokens (``text.tokenize``; in French an
elision apostrophe stays on its word, ``l'``, as Stanza's French models
tokenize it) are handed to Stanza, so every tag belongs to a token with raw
offsets into ``record.text``. Stanza's BIOES tags are mapped to PER/ORG/LOC
(MISC dropped); the guide's clitic rule and DATE mentions come from
``backends.common``, as for the Hugging Face backend.

Options: ``dir`` (required), ``package`` (the NER package, default: the
language's default in ``resources.json``), ``dates``, ``trim_clitics``
(bools, default True), ``batch_size`` (sentences per Stanza batch).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from ...record import Mention, Record
from ...text.tokenize import Token, sentences, tokenize
from .common import CliticTrimmer, WordTag, decode, finish

__all__ = ["StanzaTagger", "download_advice", "stanza_tokens"]

_APOSTROPHES = ("'", "’")


def download_advice(lang: str, folder: Path | str) -> str:
    """How to get the NER model of ``lang`` into ``folder``: the sentence every error of this backend ends with."""
    return (f"download it on a machine with network access with `python -c \"import stanza; "
            f"stanza.download('{lang}', processors='tokenize,ner', model_dir='stanza_resources')\"` "
            f"and copy that stanza_resources folder to {folder} (it must hold resources.json and "
            f"{lang}/ner/<package>.pt with its pretrain/charlm files), or pass dir=<your stanza_resources folder>")


def stanza_tokens(text: str, start: int, end: int, lang: str) -> list[Token]:
    """The project's tokens of ``text[start:end]`` as Stanza's models expect them: in French an
    apostrophe glued to the word before it stays on that word (``l'``, ``d'``, ``qu'``)."""
    toks = tokenize(text, start, end)
    if lang != "fr":
        return toks
    out: list[Token] = []
    for t in toks:
        if t.text in _APOSTROPHES and out and out[-1].end == t.start and out[-1].text[-1:].isalpha():
            prev = out.pop()
            t = Token(prev.start, t.end, text[prev.start:t.end])
        out.append(t)
    return out


class StanzaTagger:
    """A Stanza NER model from a local ``stanza_resources`` folder, as a PER/ORG/LOC(+DATE) tagger."""

    def __init__(self, lang: str, dir: str | Path | None = None, package: str | None = None, dates: bool = True,
                 trim_clitics: bool = True, batch_size: int = 32, **_: Any):
        if dir is None:
            raise ValueError(f"backend='stanza' needs dir=<stanza_resources folder> holding the {lang} NER model; "
                             + download_advice(lang, "that folder"))
        folder = Path(dir)
        self._check_folder(lang, folder, package)
        try:
            import stanza
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise ImportError("the 'stanza' backend needs Stanza: pip install 'healthcoop-nlp[stanza]'") from e
        processors: dict[str, str] | str = "tokenize,ner" if package is None else {"tokenize": "default", "ner": package}
        try:
            self.nlp = stanza.Pipeline(lang, dir=str(folder), processors=processors, tokenize_pretokenized=True,
                                       download_method=None, use_gpu=False, logging_level="WARN",
                                       ner_batch_size=batch_size)
        except (FileNotFoundError, ValueError, KeyError, RuntimeError) as e:
            raise FileNotFoundError(f"Stanza could not load the {lang} NER model from {folder}: {e}; "
                                    + download_advice(lang, folder)) from e
        logging.getLogger("stanza").setLevel(logging.WARNING)
        self.lang = lang
        self.use_dates = dates
        self.trimmer = CliticTrimmer.load(lang) if trim_clitics else None

    @staticmethod
    def _check_folder(lang: str, folder: Path, package: str | None) -> None:
        """A missing folder, resources.json or NER model fails here, with what to download and where."""
        if not folder.is_dir():
            raise FileNotFoundError(f"no stanza_resources folder at {folder}; " + download_advice(lang, folder))
        if not (folder / "resources.json").is_file():
            raise FileNotFoundError(f"{folder} has no resources.json, so it is not a stanza_resources folder; "
                                    + download_advice(lang, folder))
        ner = folder / lang / "ner"
        wanted = ner / f"{package}.pt" if package else None
        if (wanted is not None and not wanted.is_file()) or (wanted is None and not any(ner.glob("*.pt"))):
            what = wanted if wanted is not None else f"{ner}/*.pt"
            raise FileNotFoundError(f"no Stanza {lang} NER model at {what}; " + download_advice(lang, folder))

    # -- tagging -----------------------------------------------------------------
    def tag(self, record: Record) -> list[tuple[str, Mention]]:
        """Flat (label, mention) pairs over ``record.text``; DATE from ``ner.dates`` when enabled."""
        return self.tag_batch([record])[0]

    def tag_batch(self, records: list[Record]) -> list[list[tuple[str, Mention]]]:
        """``tag`` for each record; the sentences of all the records go through Stanza together."""
        sents: list[list[Token]] = []
        owner: list[int] = []
        for i, r in enumerate(records):
            for s, e in sentences(r.text):
                toks = stanza_tokens(r.text, s, e, self.lang)
                if toks:
                    sents.append(toks)
                    owner.append(i)
        tags = self._tags(sents)
        spans: list[list[tuple[str, int, int, float]]] = [[] for _ in records]
        for i, toks, sent_tags in zip(owner, sents, tags):
            spans[i] += decode([WordTag(t.start, t.end, tag) for t, tag in zip(toks, sent_tags)])
        return [finish(r.text, self.lang, r.date, sp, self.trimmer, dates=self.use_dates)
                for r, sp in zip(records, spans)]

    def _tags(self, sents: list[list[Token]]) -> list[list[str]]:
        """Stanza's NER tag of each token of each sentence."""
        if not sents:
            return []
        doc = self.nlp([[t.text for t in toks] for toks in sents])
        out = [[tok.ner or "O" for tok in sent.tokens] for sent in doc.sentences]
        if [len(x) for x in out] != [len(x) for x in sents]:  # pragma: no cover - Stanza keeps pretokenized tokens
            raise RuntimeError("Stanza changed the tokens it was given; the offsets cannot be mapped back")
        return out
