"""``healthcoop-nlp validate FILE...``: check JSONL records against the schema."""

from __future__ import annotations

import argparse
import sys

from . import validate_jsonl


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="+", metavar="FILE", help="JSONL files of records")


def run(args: argparse.Namespace) -> int:
    """0: every record valid; 1: some invalid; 2: a file could not be read (the others
    are still checked)."""
    bad = total = unreadable = 0
    for path in args.files:
        try:
            for lineno, problem in validate_jsonl(path):
                total += 1
                if problem is not None:
                    bad += 1
                    print(f"{path}:{lineno}: {problem}", file=sys.stderr)
        except OSError as e:
            unreadable += 1
            print(f"{path}: cannot read the file: {e.strerror or e}; give a JSONL file of records", file=sys.stderr)
    tail = f", {unreadable} unreadable file(s)" if unreadable else ""
    print(f"{total - bad} valid, {bad} invalid records{tail}")
    return 2 if unreadable else (1 if bad else 0)
