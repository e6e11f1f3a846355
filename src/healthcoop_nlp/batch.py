"""``healthcoop-nlp extract``: documents in, one record per document out, nothing lost.

Inputs are expanded and checked, and the output checked against them, before
any output is opened. Output is appended and flushed record by record;
``--resume`` skips ids already written; a document that cannot be read or
processed goes to ``OUT.errors.jsonl`` with its id, source and reason, and the
batch goes on. A failure of the machinery (an output that cannot be written, a
worker process that dies) stops the run at once with a summary; ``--resume``
then completes it. Exit statuses: ``EXIT_STATUS``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Iterator, Sequence

from .io import (DEFAULT_MAX_CHARS, DocumentError, InputError, JsonlWriter, OutputError, UnwritableRecord,
                 check_output, errors_path, existing_ids, json_line, read_documents, resolve_inputs)
from .extraction import (EXIT_DOCUMENTS_FAILED, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_OK, EXIT_OUTPUT, EXIT_STATUS,
                         EXIT_USAGE, EXIT_WORKER, BatchStopped, BatchSummary, cli_config, dedupe, input_given,
                         report_error)
from .pipeline import PipelineError, WorkerDied
from .record import Record

__all__ = ["BatchSummary", "BatchStopped", "EXIT_STATUS", "extract", "add_arguments", "run"]


def extract(inputs: Sequence[str], output: str | Path | None, components: Sequence[str] | None = None,
            n_process: int = 1, batch_size: int = 32, resume: bool = False,
            max_chars: int | None = DEFAULT_MAX_CHARS, progress: bool = True,
            config: dict | None = None) -> BatchSummary:
    """Extract every document of ``inputs`` into ``output`` (JSONL; None writes to stdout).

    Errors go to ``OUT.errors.jsonl`` (stderr when writing to stdout). Raises
    InputError or PipelineError before anything is written (missing input, output
    that is an input or inside an input folder, bad pipeline), OutputError when the
    output cannot be created, and BatchStopped (with the summary so far) when the
    run cannot go on.
    """
    from . import load

    files = resolve_inputs(inputs)
    out_path = Path(output) if output is not None else None
    if out_path is not None:
        check_output(out_path, files, list(inputs))
    nlp = load(components, config, given=input_given(components))
    summary = BatchSummary()
    skip = existing_ids(out_path) if (resume and out_path is not None) else set()
    err_path = errors_path(out_path) if out_path is not None else None

    out = JsonlWriter(out_path, append=resume) if out_path is not None else None
    try:
        # a document that failed before is tried again: the errors file starts afresh
        errw = JsonlWriter(err_path, append=False) if err_path is not None else None
    except OutputError:
        out.close()
        raise

    docs = dedupe(read_documents(files, max_chars=max_chars, resolved=True), skip, summary)
    # Read errors bypass the pipeline but keep their place in the stream.
    pending_errors: list[DocumentError] = []

    def records_only() -> Iterator[Record]:
        for d in docs:
            if isinstance(d, DocumentError):
                pending_errors.append(d)
            else:
                yield d

    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(unit="doc", desc="extract", file=sys.stderr, dynamic_ncols=True)
    start = time.perf_counter()
    stop: BatchStopped | None = None
    try:
        for r in nlp.pipe(records_only(), batch_size=batch_size, n_process=n_process, errors="return"):
            for e in pending_errors:
                report_error(e, errw, summary)
            pending_errors.clear()
            if isinstance(r, Record):
                try:
                    if out is not None:
                        out.write(r)
                    else:
                        sys.stdout.write(json_line(r))
                        sys.stdout.flush()
                except UnwritableRecord as e:
                    r = DocumentError(id=r.id, source=r.source, reason=str(e))
                else:
                    summary.ok += 1
                    summary.words += len(r.text.split())
            if isinstance(r, DocumentError):
                report_error(r, errw, summary)
            if bar is not None:
                bar.update(1)
                bar.set_postfix(failed=summary.failed, refresh=False)
        for e in pending_errors:
            report_error(e, errw, summary)
    except OutputError as e:
        stop = BatchStopped(str(e), EXIT_OUTPUT, summary)
    except WorkerDied as e:
        stop = BatchStopped(str(e), EXIT_WORKER, summary)
    except KeyboardInterrupt:
        stop = BatchStopped("interrupted", EXIT_INTERRUPTED, summary)
    except Exception as e:  # noqa: BLE001 - a bug in the machinery: stop with what was done, not a bare traceback
        import traceback

        stop = BatchStopped(f"internal error {type(e).__name__}: {e}\n{traceback.format_exc()}", EXIT_INTERNAL,
                            summary)
    finally:
        summary.seconds = time.perf_counter() - start
        if bar is not None:
            bar.close()
        for w in (out, errw):
            if w is not None:
                try:
                    w.close()
                except OutputError as e:
                    stop = stop or BatchStopped(str(e), EXIT_OUTPUT, summary)
        if summary.failed == 0 and err_path is not None and err_path.exists() and err_path.stat().st_size == 0:
            err_path.unlink()
    if stop is not None:
        summary.stopped = str(stop)
        raise stop
    return summary


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="text files, JSONL files ({id, text, date?, lang?} a line), directories, globs, or - for JSONL on stdin")
    p.add_argument("-o", "--output", help="output JSONL (default: stdout); errors go to OUT.errors.jsonl")
    p.add_argument("-j", "--jobs", type=int, default=1, help="worker processes (default 1; -1 for one per core)")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--resume", action="store_true", help="skip ids already in OUTPUT and append")
    p.add_argument("--max-chars", type=int, default=DEFAULT_MAX_CHARS,
                   help=f"documents longer than this are reported as errors (default {DEFAULT_MAX_CHARS:,})")
    p.add_argument("--components", help="comma-separated components (default: all installed; '' for none: read and write only)")
    p.add_argument("--skip-unsupported", action="store_true",
                   help="keep documents in a language without an NER model (record with lang, no entities) "
                        "instead of reporting them as errors")
    p.add_argument("--validate", action="store_true", help="check each output record against record.schema.json")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--engine", choices=["local", "ray"], default="local",
                   help="local processes (default) or a Ray cluster (pip install 'healthcoop-nlp[ray]')")
    p.add_argument("--address", help="Ray cluster address (with --engine ray)")
    p.add_argument("--workers", type=int, help="Ray workers (with --engine ray)")
    p.add_argument("--format", choices=["jsonl", "parquet"], default="jsonl",
                   help="shard format under the output folder (with --engine ray; default jsonl)")


def run(args: argparse.Namespace) -> int:
    components = None if args.components is None else [c for c in args.components.split(",") if c]
    if args.engine == "ray":
        from .distributed import run_ray  # says how to install Ray when it is missing

        return run_ray(args, components)
    if args.resume and not args.output:
        print("error: --resume needs --output (the file whose ids are skipped)", file=sys.stderr)
        return EXIT_USAGE
    if args.jobs == 0 or args.jobs < -1 or args.batch_size < 1 or (args.max_chars is not None and args.max_chars < 1):
        print("error: --jobs must be -1 or at least 1, --batch-size and --max-chars at least 1", file=sys.stderr)
        return EXIT_USAGE
    try:
        summary = extract(args.inputs, args.output, components=components, n_process=args.jobs,
                          batch_size=args.batch_size, resume=args.resume, max_chars=args.max_chars,
                          progress=not args.no_progress, config=cli_config(args, components))
    except (InputError, PipelineError) as e:
        print(f"error: {e}; nothing was written", file=sys.stderr)
        return EXIT_USAGE
    except OutputError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_OUTPUT
    except BatchStopped as e:
        print(f"error: {e}", file=sys.stderr)
        print(e.summary.line(), file=sys.stderr)
        if args.output:
            print(f"the records written are complete; run the same command with --resume to finish "
                  f"(exit status {e.status}: {EXIT_STATUS[e.status]})", file=sys.stderr)
        return e.status
    if args.validate and args.output:
        from .schema import validate_jsonl

        for lineno, problem in validate_jsonl(args.output):
            if problem is not None:
                print(f"error: {args.output}:{lineno}: {problem}", file=sys.stderr)
                summary.failed += 1
    print(summary.line(), file=sys.stderr)
    return EXIT_DOCUMENTS_FAILED if summary.failed else EXIT_OK
