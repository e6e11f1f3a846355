"""``healthcoop-nlp langid [--segments] FILE|-``: the language of each input line.

Output, one line per input line (an empty line gives ``und<TAB>0.0000``)::

    lang<TAB>confidence[<TAB>dialect]

With ``--segments``, each line's segments follow it, one per line, indented
by a TAB::

    <TAB>start<TAB>end<TAB>lang<TAB>confidence[<TAB>dialect]

``start`` and ``end`` are character offsets into that input line (without
its line ending); ``dialect`` is written only when there is one (``ary``).

A line that is not UTF-8 is reported on standard error with its line number
and written as ``und<TAB>0.0000`` (so output lines stay aligned with input
lines); the other lines are identified and the exit status is 1. Exit
status 2: the input cannot be opened.
"""

from __future__ import annotations

import argparse
import sys
from typing import BinaryIO, Iterator, TextIO

from .identify import LangResult, identify

__all__ = ["add_arguments", "run", "format_result"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", metavar="FILE|-", help="a UTF-8 text file, one text per line; - reads standard input")
    parser.add_argument("--segments", action="store_true",
                        help="also print each line's segments: TAB start TAB end TAB lang TAB confidence [TAB dialect]")
    parser.epilog = __doc__.split("\n\n", 1)[1] if __doc__ else None
    parser.formatter_class = argparse.RawDescriptionHelpFormatter


def _fields(lang: str, confidence: float, dialect: str | None) -> list[str]:
    out = [lang, f"{confidence:.4f}"]
    if dialect:
        out.append(dialect)
    return out


def format_result(result: LangResult, segments: bool = False) -> str:
    """The output lines for one input line (without a final newline)."""
    lines = ["\t".join(_fields(result.lang, result.confidence, result.dialect))]
    if segments:
        for s in result.segments or []:
            lines.append("\t" + "\t".join([str(s.start), str(s.end)] + _fields(s.lang, s.confidence, s.dialect)))
    return "\n".join(lines)


def _lines(stream: BinaryIO | TextIO) -> Iterator[tuple[int, str | None, str | None]]:
    """(line number, text without its line ending or None, why it could not be decoded or None).

    A binary stream is split on ``\\n`` and each line decoded alone, so one bad byte
    spoils only its own line."""
    for number, raw in enumerate(stream, 1):
        if isinstance(raw, str):
            yield number, raw.rstrip("\r\n"), None
            continue
        try:
            yield number, raw.decode("utf-8").rstrip("\r\n"), None
        except UnicodeDecodeError as e:
            yield number, None, f"not UTF-8 ({e.reason} at byte {e.start} of the line)"


def run(args: argparse.Namespace) -> int:
    if args.input == "-":
        # bytes when the stream has them (each line decoded alone), else the text stream as it is
        stream: BinaryIO | TextIO = getattr(sys.stdin, "buffer", sys.stdin)
        close = False
    else:
        try:
            stream = open(args.input, "rb")
        except OSError as e:
            print(f"langid: cannot read {args.input}: {e.strerror}; give a readable UTF-8 file or - for stdin",
                  file=sys.stderr)
            return 2
        close = True
    out = sys.stdout
    name = "<stdin>" if args.input == "-" else args.input
    bad = 0
    try:
        for number, line, error in _lines(stream):
            if line is None:
                # one output line per input line all the same, so that the lines stay aligned
                bad += 1
                print(f"langid: {name}:{number}: {error}; line skipped (written as und); "
                      "convert the file with iconv or fix that line", file=sys.stderr)
                line = ""
            out.write(format_result(identify(line, segments=args.segments), args.segments) + "\n")
    finally:
        if close:
            stream.close()
    if bad:
        print(f"langid: {bad} line(s) of {name} were not UTF-8", file=sys.stderr)
        return 1
    return 0
