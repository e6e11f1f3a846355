"""``healthcoop-nlp evaluate``: score predicted records against gold records."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..io import InputError, read_records
from .align import AlignmentError
from .date_values import DateValuesError, read_date_values
from .evaluate import evaluate
from ..report.render import to_markdown, to_text

__all__ = ["add_arguments", "run", "write_report"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--gold", required=True, metavar="G", help="gold records (JSONL)")
    parser.add_argument("--pred", required=True, metavar="P", help="predicted records (JSONL), same ids and texts")
    parser.add_argument("--json", action="store_true", help="print the full report as JSON instead of tables")
    parser.add_argument("--report", metavar="DIR", help="write DIR/report.json (everything) and DIR/report.md")
    parser.add_argument("--bootstrap", type=int, default=1000, metavar="N",
                        help="bootstrap resamples of documents for the 95%% CIs (default 1000; 0: no CIs)")
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed of the bootstrap (default 0)")
    parser.add_argument("--allow-missing", action="store_true",
                        help="score a gold document without a prediction as an empty prediction (and say so)")
    parser.add_argument("--baseline", metavar="OLD",
                        help="an earlier run's report.json (with --report): report.html shows each figure's change "
                             "and the documents whose errors changed")
    parser.add_argument("--date-values", metavar="TSV",
                        help="gold ISO values of DATE mentions (hcnews/dev/date_values.tsv format): adds DATE value "
                             "accuracy, overall and per language")
    parser.add_argument("--context", type=int, default=60, metavar="CHARS",
                        help="characters of text either side of an error in the error list (default 60)")


def write_report(report: dict, directory: str | Path) -> tuple[Path, Path]:
    """Write ``report.json`` and ``report.md`` into ``directory`` (created if needed)."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    js, md = d / "report.json", d / "report.md"
    js.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    md.write_text(to_markdown(report), encoding="utf-8")
    return js, md


def _load(path: str) -> list:
    if not Path(path).is_file():
        raise InputError(path, "no such file; give a JSONL file of records")
    return list(read_records(path))


def run(args: argparse.Namespace) -> int:
    """Score, print the tables (or JSON), write the report files; 2 on bad input, 3 when the
    report cannot be written."""
    if args.bootstrap < 0:
        print("error: --bootstrap must be 0 or more", file=sys.stderr)
        return 2
    baseline = None
    if args.baseline:
        from ..report.html import read_report
        if not args.report:
            print("error: --baseline needs --report DIR (it changes DIR/report.html)", file=sys.stderr)
            return 2
        try:
            baseline = read_report(args.baseline)
        except ValueError as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
    try:
        gold = _load(args.gold)
        if not gold:
            raise InputError(args.gold, "no records; give the gold JSONL file (one record per line)")
        pred = _load(args.pred)
        values = read_date_values(args.date_values) if getattr(args, "date_values", None) else None
        report = evaluate(gold, pred, bootstrap=args.bootstrap, seed=args.seed, allow_missing=args.allow_missing,
                          window=args.context, gold_name=args.gold, pred_name=args.pred, date_values=values)
    except (InputError, AlignmentError, DateValuesError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    missing = report["meta"]["missing_predictions"]
    if missing:
        print(f"warning: {len(missing)} gold document(s) have no prediction in {args.pred} and were scored as "
              f"empty: {', '.join(missing[:10])}{' ...' if len(missing) > 10 else ''}", file=sys.stderr)
    warnings = report["meta"]["warnings"]
    for w in warnings[:10]:
        print(f"warning: {w}", file=sys.stderr)
    if len(warnings) > 10:
        print(f"warning: ... and {len(warnings) - 10} more (all in the report's meta.warnings)", file=sys.stderr)
    if args.report:
        from ..report.html import write_html   # here: matplotlib loads only when a report is written
        try:
            js, md = write_report(report, args.report)
            page = write_html(report, Path(args.report) / "report.html", baseline=baseline)
        except OSError as e:
            print(f"error: cannot write the report into {args.report}: {e.strerror or e}; "
                  "give a folder you can write to", file=sys.stderr)
            return 3
        print(f"wrote {js}, {md} and {page}", file=sys.stderr)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        print(to_text(report), end="")
    return 0
