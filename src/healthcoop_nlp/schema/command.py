"""``healthcoop-nlp validate FILE...``: check JSONL records against the schema."""

from __future__ import annotations

import argparse
import sys

from . import validate_jsonl


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="+", metavar="FILE", help="JSONL files of records")


def run(args: argparse.Namespace) -> int:
    bad = total = 0
    for path in args.files:
        for lineno, problem in validate_jsonl(path):
            total += 1
            if problem is not None:
                bad += 1
                print(f"{path}:{lineno}: {problem}", file=sys.stderr)
    print(f"{total - bad} valid, {bad} invalid records")
    return 1 if bad else 0
