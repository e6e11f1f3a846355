"""``healthcoop-nlp validate FILE...``: check JSONL records against the schema."""

from __future__ import annotations

import argparse
import json
import sys

from . import SchemaError, validate_record


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="+", metavar="FILE", help="JSONL files of records")


def run(args: argparse.Namespace) -> int:
    bad = total = 0
    for path in args.files:
        with open(path, encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                if not line.strip():
                    continue
                total += 1
                try:
                    validate_record(json.loads(line))
                except json.JSONDecodeError as e:
                    bad += 1
                    print(f"{path}:{lineno}: not valid JSON ({e.msg})", file=sys.stderr)
                except SchemaError as e:
                    bad += 1
                    print(f"{path}:{lineno}: {e}", file=sys.stderr)
    print(f"{total - bad} valid, {bad} invalid records")
    return 1 if bad else 0
