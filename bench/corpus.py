"""Build the batch benchmark corpus: article-sized French and Arabic documents as JSONL.

Documents are made of consecutive sentences of the shared public corpora
(French: Europeana 1906 newspapers and WikiANN-fr; Arabic: ANERcorp train and
WikiANN-ar), so every document is real running text. With more documents than
the corpora hold, the sentence stream wraps around (later documents repeat
earlier sentences in other groupings); the header of the printout says so.

    python bench/corpus.py --out out/bench_corpus.jsonl --docs 10000
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
from pathlib import Path
from typing import Iterator

CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"
_NO_SPACE_BEFORE = re.compile(r" ([,.;:!?)\]»%،؛؟])")
_NO_SPACE_AFTER = re.compile(r"([(\[«]) ")


def _sentences_blank_separated(path: Path, prefix: bool = False) -> Iterator[list[str]]:
    sent: list[str] = []
    with open(path, encoding="utf-8-sig") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if not line.strip():
                if sent:
                    yield sent
                sent = []
                continue
            tok = re.split(r"[\t ]", line)[0]
            if prefix and ":" in tok:
                tok = tok.split(":", 1)[1]
            sent.append(tok)
    if sent:
        yield sent


def _europeana_sentences(path: Path) -> Iterator[list[str]]:
    sent: list[str] = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if not parts:
                continue
            sent.append(parts[0])
            if parts[0] in {".", "!", "?"} and len(sent) > 3:
                yield sent
                sent = []
    if sent:
        yield sent


def _detok(tokens: list[str]) -> str:
    s = " ".join(tokens)
    return _NO_SPACE_AFTER.sub(r"\1", _NO_SPACE_BEFORE.sub(r"\1", s))


def sentences(lang: str) -> list[str]:
    """Every sentence of the language's corpora, detokenised, in corpus order."""
    if lang == "fr":
        streams = [
            _europeana_sentences(CORPORA / "fr" / "europeana" / "enp_FR.bnf.bio"),
            _sentences_blank_separated(CORPORA / "fr" / "wikiann" / "train", prefix=True),
        ]
    elif lang == "ar":
        streams = [
            _sentences_blank_separated(CORPORA / "ar" / "anercorp" / "train.txt"),
            _sentences_blank_separated(CORPORA / "ar" / "wikiann" / "train", prefix=True),
        ]
    else:
        raise ValueError(f"no benchmark corpus for {lang!r}; use fr or ar")
    return [_detok(s) for s in itertools.chain(*streams) if len(s) >= 3]


def build_corpus(out_path: str | Path, n_docs: int = 10_000, seed: int = 0, fr_share: float = 0.6,
                 words_per_doc: tuple[int, int] = (150, 400)) -> Path:
    """Write ``n_docs`` documents ``{"id", "text", "lang"}`` to ``out_path`` and return it.

    ``lang`` is the corpus language, for checking; benchmarks drop it so the
    pipeline identifies the language itself.
    """
    rng = random.Random(seed)
    pools = {lang: sentences(lang) for lang in ("fr", "ar")}
    cursors = {lang: 0 for lang in pools}
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with open(out_path, "w", encoding="utf-8") as f:
        for i in range(n_docs):
            lang = "fr" if rng.random() < fr_share else "ar"
            target = rng.randint(*words_per_doc)
            parts, words = [], 0
            pool = pools[lang]
            while words < target:
                s = pool[cursors[lang] % len(pool)]
                cursors[lang] += 1
                parts.append(s)
                words += s.count(" ") + 1
            text = " ".join(parts)
            f.write(json.dumps({"id": f"{lang}-{i:06d}", "lang": lang, "text": text}, ensure_ascii=False) + "\n")
    return out_path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="out/bench_corpus.jsonl")
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    p = build_corpus(a.out, a.docs, a.seed)
    n = words = 0
    with open(p, encoding="utf-8") as f:
        for line in f:
            n += 1
            words += len(json.loads(line)["text"].split())
    print(f"{p}: {n} documents, {words:,} words")


if __name__ == "__main__":
    main()
