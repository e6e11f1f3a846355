"""``healthcoop-nlp langid [--segments] FILE|-``: the language of each input line.

Output, one line per input line (an empty line gives ``und<TAB>0.0000``)::

    lang<TAB>confidence[<TAB>dialect]

With ``--segments``, each line's segments follow it, one per line, indented
by a TAB::

    <TAB>start<TAB>end<TAB>lang<TAB>confidence[<TAB>dialect]

``start`` and ``end`` are character offsets into that input line (without
its line ending); ``dialect`` is written only when there is one (``ary``).
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

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


def _lines(stream: TextIO):
    for line in stream:
        yield line.rstrip("\r\n")


def run(args: argparse.Namespace) -> int:
    if args.input == "-":
        stream: TextIO = sys.stdin
        if hasattr(stream, "reconfigure"):  # input is UTF-8 whatever the locale says
            stream.reconfigure(encoding="utf-8")
        close = False
    else:
        try:
            stream = open(args.input, encoding="utf-8")
        except OSError as e:
            print(f"langid: cannot read {args.input}: {e.strerror}; give a readable UTF-8 file or - for stdin",
                  file=sys.stderr)
            return 2
        close = True
    out = sys.stdout
    try:
        for line in _lines(stream):
            out.write(format_result(identify(line, segments=args.segments), args.segments) + "\n")
    except UnicodeDecodeError as e:
        print(f"langid: {args.input} is not UTF-8 ({e.reason} at byte {e.start}); convert it with iconv first",
              file=sys.stderr)
        return 2
    finally:
        if close:
            stream.close()
    return 0
