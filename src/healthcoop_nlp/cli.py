"""The ``healthcoop-nlp`` command: one subcommand per module that implements it.

Each subcommand module defines ``add_arguments(parser)`` and ``run(args) -> int``;
a subcommand whose module is not installed is not offered.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import Sequence

SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "extract": ("healthcoop_nlp.batch", "extract records from documents into JSONL"),
    "evaluate": ("healthcoop_nlp.scoring.command", "score predicted records against gold records"),
    "validate": ("healthcoop_nlp.schema.command", "check JSONL records against record.schema.json"),
    "langid": ("healthcoop_nlp.langid.command", "identify the language of each input line"),
    "train-ner": ("healthcoop_nlp.train.command", "train a shipped NER model from the public corpora"),
}


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(prog="healthcoop-nlp", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (module, help_) in SUBCOMMANDS.items():
        try:
            mod = importlib.import_module(module)
        except ImportError as e:
            if e.name and e.name.startswith("healthcoop_nlp"):
                continue
            raise
        p = sub.add_parser(name, help=help_, description=help_)
        mod.add_arguments(p)
        p.set_defaults(_run=mod.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args._run(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
