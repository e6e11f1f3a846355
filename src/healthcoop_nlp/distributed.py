"""``extract --engine ray``: the batch extraction of ``batch.extract`` on a Ray cluster.

The same documents give the same records and the same errors as the local run:
reading goes through the project's readers (``io.read_jsonl``,
``io.read_documents``) inside the Ray workers, and the driver applies the local
run's id rules (``--resume`` skips, duplicate ids reported) in input order.

Layout of the output directory::

    DIR/part-<run>-00000.jsonl     records, one per line (or .parquet with fmt="parquet")
    DIR/errors-<run>.jsonl         {"id", "source", "reason"[, "line"]} per failed document

``<run>`` is new for every run, so no shard is ever rewritten. JSONL shards are
flushed line by line; a killed run leaves at most one cut last line, which a
``--resume`` run drops before reading the ids already written. A Parquet shard
is written under a hidden ``.tmp`` name and renamed when complete; a killed
run's ``.tmp`` shards are deleted on resume and their documents done again.

Inputs must be readable at the same path on every node (a shared filesystem).
Ray is imported only by the functions that need it, so that the error for a
missing Ray names the extra to install.
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import os
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Iterator, Sequence

from .extraction import BatchSummary, cli_config, dedupe, input_given, report_error
from .io import DEFAULT_MAX_CHARS, DocumentError, InputError, JsonlWriter, existing_ids, read_documents, read_jsonl
from .io.readers import JSONL_SUFFIXES, expand_inputs
from .record import Record

__all__ = ["extract_ray", "run_ray", "plan_tasks", "ReadTask", "shard_ids", "FORMATS"]

FORMATS = ("jsonl", "parquet")
RAY_HINT = "pip install 'healthcoop-nlp[ray]'  (ray[data]==2.60.0)"
DEFAULT_CHUNK_BYTES = 4 << 20   # input bytes per Ray task at most
DEFAULT_SHARD_RECORDS = 10_000  # records per output shard
_MAX_FILES_PER_TASK = 256


# -- planning: the input cut into read tasks, in input order ----------------------

@dataclass
class ReadTask:
    """A unit of reading: a byte range of one JSONL file, or a group of text files.

    ``source`` is each path as the user gave it (it names the document in errors,
    as in the local run); ``path`` is its absolute form, read by the workers.
    """

    kind: str                      # "jsonl" or "text"
    sources: list[str]
    paths: list[str]
    start: int = 0                 # jsonl: byte range [start, end), first line number
    end: int = 0
    line0: int = 1

    def to_json(self) -> str:
        return json.dumps(self.__dict__)

    @classmethod
    def from_json(cls, s: str) -> "ReadTask":
        return cls(**json.loads(s))


def _split_jsonl(path: str, chunk_bytes: int) -> list[tuple[int, int, int]]:
    """Byte ranges ``(start, end, first_line)`` of whole lines, about ``chunk_bytes`` each."""
    out: list[tuple[int, int, int]] = []
    start = pos = 0
    line0 = lineno = 1
    with open(path, "rb") as f:
        for line in f:
            pos += len(line)
            lineno += 1
            if pos - start >= chunk_bytes:
                out.append((start, pos, line0))
                start, line0 = pos, lineno
    if pos > start:
        out.append((start, pos, line0))
    return out


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def plan_tasks(inputs: Sequence[str], chunk_bytes: int = DEFAULT_CHUNK_BYTES, min_tasks: int = 1) -> list[ReadTask]:
    """The read tasks for ``inputs`` (files, directories, globs), in input order.

    A task holds at most ``chunk_bytes`` of input (or one line or file more
    than that), less when needed to make about ``min_tasks`` tasks, so that
    every worker gets work on a small input. Raises InputError for a missing
    input or for ``-`` (stdin cannot be shared with a cluster).
    """
    sources = list(expand_inputs(inputs))
    if "-" in sources:
        raise InputError("-", "reading stdin is not supported with --engine ray; "
                              "save the JSONL to a file on a shared filesystem and give its path")
    total = sum(_size(s) for s in sources)
    chunk_bytes = max(1, min(chunk_bytes, -(-total // max(1, min_tasks))))
    tasks: list[ReadTask] = []
    group: ReadTask | None = None
    group_bytes = 0
    for source in sources:
        path = os.path.abspath(source)
        if Path(source).suffix.lower() in JSONL_SUFFIXES:
            group = None
            try:
                ranges = _split_jsonl(path, chunk_bytes)
            except OSError:
                ranges = [(0, 0, 1)]  # the worker reports the unreadable file as the local run does
            tasks.extend(ReadTask("jsonl", [source], [path], s, e, l0) for s, e, l0 in ranges)
        else:
            size = _size(path)
            if group is None or group_bytes + size > chunk_bytes or len(group.paths) >= _MAX_FILES_PER_TASK:
                group = ReadTask("text", [], [])
                group_bytes = 0
                tasks.append(group)
            group.sources.append(source)
            group.paths.append(path)
            group_bytes += size
    return tasks


def read_task(task: ReadTask, max_chars: int | None) -> Iterator[Record | DocumentError]:
    """The documents of one read task, exactly as ``io.read_documents`` reads them."""
    if task.kind == "jsonl":
        source, path = task.sources[0], task.paths[0]
        try:
            with open(path, "rb") as f:
                f.seek(task.start)
                data = f.read(task.end - task.start)
        except OSError as e:
            # the local reader's open() raises; report it and go on with the other files
            yield DocumentError(id=None, source=source, reason=_unreadable(e))
            return
        lines: Iterator[bytes] = iter(io.BytesIO(data))
        shift = 0
        if task.line0 > 1:
            # a blank line 1 keeps read_jsonl's BOM rule (line 1 only) and is skipped by it
            lines = itertools.chain([b"\n"], lines)
            shift = task.line0 - 2
        for d in read_jsonl(lines, source, max_chars):
            if isinstance(d, DocumentError) and d.line is not None:
                d.line += shift
            yield d
        return
    for source, path in zip(task.sources, task.paths):
        if not os.path.exists(path):
            yield DocumentError(id=Path(source).stem, source=source,
                                reason=_unreadable(FileNotFoundError(2, "No such file or directory")))
            continue
        for d in read_documents([path], max_chars):
            if isinstance(d, DocumentError):
                d.source = source
            yield d


def _unreadable(e: OSError) -> str:
    return (f"cannot read the file on the Ray worker: {e.strerror}; every node must see the inputs "
            "at the same path (a shared filesystem)")


# -- the Ray worker ------------------------------------------------------------

_ROW_FIELDS = ("kind", "id", "source", "payload", "words")


def _row_schema():
    import pyarrow as pa

    return pa.schema([("kind", pa.string()), ("id", pa.string()), ("source", pa.string()),
                      ("payload", pa.string()), ("words", pa.int64())])


class ExtractWorker:
    """A Ray Data worker: loads the pipeline once, then reads and extracts whole read tasks.

    Output rows, in input order: ``kind`` is ``record`` (payload: the record's
    JSON), ``read_error`` or ``doc_error`` (payload: the error's JSON; a
    ``doc_error`` came out of the pipeline, so its document counts as read), or
    ``skipped`` (id already written, with ``--resume``).
    """

    def __init__(self, components: list[str], config: dict | None, max_chars: int | None,
                 batch_size: int, skip: Any = None):
        try:
            import torch

            torch.set_num_threads(1)
        except ImportError:
            pass
        from .pipeline import Pipeline

        self.nlp = Pipeline(components, config, given=input_given(components))
        if skip is not None and not isinstance(skip, (set, frozenset)):
            import ray

            skip = ray.get(skip)
        self.skip = skip or frozenset()
        self.max_chars = max_chars
        self.batch_size = max(1, batch_size)

    def __call__(self, batch: dict) -> Any:
        import pyarrow as pa

        rows: list[tuple] = []
        for task_json in batch["task"].to_pylist():
            rows.extend(self._run_task(ReadTask.from_json(task_json)))
        cols = list(zip(*rows)) if rows else [[] for _ in _ROW_FIELDS]
        return pa.table({f: list(c) for f, c in zip(_ROW_FIELDS, cols)}, schema=_row_schema())

    def _run_task(self, task: ReadTask) -> list[tuple]:
        out: list[tuple | None] = []
        live: list[tuple[int, Record]] = []
        for d in read_task(task, self.max_chars):
            if isinstance(d, DocumentError):
                out.append(("read_error", d.id, d.source, json.dumps(d.to_dict(), ensure_ascii=False), 0))
            elif d.id in self.skip:
                out.append(("skipped", d.id, d.source, "", 0))
            else:
                live.append((len(out), d))
                out.append(None)
        for i in range(0, len(live), self.batch_size):
            part = live[i:i + self.batch_size]
            # process_batch keeps the order of its input
            for (pos, rec), res in zip(part, self.nlp.process_batch([r for _, r in part])):
                if isinstance(res, DocumentError):
                    out[pos] = ("doc_error", rec.id, rec.source, json.dumps(res.to_dict(), ensure_ascii=False), 0)
                else:
                    out[pos] = ("record", res.id, res.source, res.to_json(), len(res.text.split()))
        return [r for r in out if r is not None]


# -- writing shards (driver side) ---------------------------------------------

def _parquet_schema():
    import pyarrow as pa

    s = pa.string()
    return pa.schema([("id", s), ("source", s), ("date", s), ("lang", s), ("dialect", s), ("text", s),
                      ("entities", s), ("events", s)])


def record_to_row(d: dict) -> dict:
    """A record dict as a Parquet row: scalar fields as columns, entities and events as JSON text
    (JSON keeps the schema's absent-versus-null keys that an Arrow struct would lose)."""
    row = {k: d.get(k) for k in ("id", "source", "date", "lang", "dialect", "text")}
    row["entities"] = json.dumps(d["entities"], ensure_ascii=False)
    row["events"] = json.dumps(d["events"], ensure_ascii=False)
    return row


def row_to_record(row: dict) -> dict:
    """The inverse of ``record_to_row``: a Parquet row as the record dict of the JSONL output."""
    d = {k: row.get(k) for k in ("id", "source", "date", "lang", "dialect", "text")}
    d["entities"] = json.loads(row["entities"])
    d["events"] = json.loads(row["events"])
    return d


class ShardWriter:
    """Writes records into numbered shards ``part-<run>-NNNNN.<fmt>`` of ``shard_records`` each."""

    def __init__(self, out_dir: Path, run_id: str, fmt: str, shard_records: int = DEFAULT_SHARD_RECORDS):
        self.out_dir, self.run_id, self.fmt = out_dir, run_id, fmt
        self.shard_records = max(1, shard_records)
        self.seq = 0
        self.count = 0
        self.paths: list[Path] = []
        self._jsonl: IO[str] | None = None
        self._pq = None
        self._pq_tmp: Path | None = None
        self._pq_final: Path | None = None
        self._rows: list[dict] = []

    def _name(self) -> str:
        return f"part-{self.run_id}-{self.seq:05d}.{self.fmt}"

    def write(self, payload: str) -> None:
        if self.count == self.shard_records:
            self._close_shard()
        if self.fmt == "jsonl":
            if self._jsonl is None:
                path = self.out_dir / self._name()
                self._jsonl = open(path, "w", encoding="utf-8")
                self.paths.append(path)
            # the worker's JSON text as is (Record.to_json), flushed line by line like JsonlWriter
            self._jsonl.write(payload + "\n")
            self._jsonl.flush()
        else:
            if self._pq is None:
                import pyarrow.parquet as pq

                self._pq_final = self.out_dir / self._name()
                self._pq_tmp = self.out_dir / f".{self._name()}.tmp"
                self._pq = pq.ParquetWriter(self._pq_tmp, _parquet_schema())
            self._rows.append(record_to_row(json.loads(payload)))
            if len(self._rows) >= 1000:
                self._flush_rows()
        self.count += 1

    def _flush_rows(self) -> None:
        import pyarrow as pa

        if self._rows and self._pq is not None:
            self._pq.write_table(pa.Table.from_pylist(self._rows, schema=_parquet_schema()))
        self._rows = []

    def _close_shard(self) -> None:
        if self._jsonl is not None:
            self._jsonl.flush()
            os.fsync(self._jsonl.fileno())
            self._jsonl.close()
            self._jsonl = None
        if self._pq is not None:
            self._flush_rows()
            self._pq.close()
            assert self._pq_tmp is not None and self._pq_final is not None
            os.replace(self._pq_tmp, self._pq_final)
            self.paths.append(self._pq_final)
            self._pq = None
        self.seq += 1
        self.count = 0

    def close(self) -> None:
        self._close_shard()


def _record_shards(out_dir: Path) -> list[Path]:
    return sorted(p for p in out_dir.glob("part-*") if p.suffix in (".jsonl", ".parquet"))


def shard_ids(out_dir: str | Path) -> set[str]:
    """Ids of the complete records in the shards of ``out_dir`` (JSONL and Parquet)."""
    ids: set[str] = set()
    for p in _record_shards(Path(out_dir)):
        if p.suffix == ".jsonl":
            ids |= existing_ids(p)
        else:
            import pyarrow.parquet as pq

            ids.update(pq.read_table(p, columns=["id"]).column("id").to_pylist())
    return ids


def _prepare_dir(out_dir: Path, resume: bool) -> set[str]:
    """Make ``out_dir`` ready; with ``resume``, repair a killed run's shards and return the ids written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    shards = _record_shards(out_dir)
    if not resume:
        if shards:
            raise InputError(str(out_dir), f"the directory already holds {len(shards)} record shards of an earlier "
                                           "run; add --resume to continue it, or give an empty directory")
        return set()
    for tmp in out_dir.glob(".part-*.tmp"):
        tmp.unlink()  # a Parquet shard a killed run never finished: its documents are done again
    for p in shards:
        if p.suffix == ".jsonl":
            JsonlWriter(p, append=True).close()  # drops a last line cut short by a kill
    for p in out_dir.glob("errors-*.jsonl"):
        p.unlink()  # documents that failed are tried again and reported again, as in the local run
    return shard_ids(out_dir)


# -- the run ---------------------------------------------------------------------

def _import_ray():
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError as e:
        raise ImportError(f"--engine ray needs Ray Data: {RAY_HINT} ({e})") from e
    return ray


def _start_ray(ray, address: str | None, workers: int | None) -> bool:
    """Connect to (``address``) or start a local Ray; True when this call started it."""
    if ray.is_initialized():
        return False
    kwargs: dict[str, Any] = {"include_dashboard": False, "logging_level": "WARNING", "log_to_driver": True}
    if address:
        ray.init(address=address, **kwargs)
    else:
        ray.init(num_cpus=workers or os.cpu_count() or 1, **kwargs)
    return True


def extract_ray(inputs: Sequence[str], output_dir: str | Path, components: Sequence[str] | None = None,
                workers: int | None = None, address: str | None = None, resume: bool = False,
                max_chars: int | None = DEFAULT_MAX_CHARS, fmt: str = "jsonl", batch_size: int = 32,
                config: dict | None = None, progress: bool = False,
                chunk_bytes: int = DEFAULT_CHUNK_BYTES,
                shard_records: int = DEFAULT_SHARD_RECORDS) -> BatchSummary:
    """Extract every document of ``inputs`` on Ray into shards under ``output_dir``.

    Records and errors are those of ``batch.extract`` on the same input.
    Without ``address`` a local Ray is started with ``workers`` CPUs (default:
    all cores); with one, the cluster at that address is joined and ``workers``
    defaults to its CPU count. An already initialised Ray is used as it is.
    Each of the ``workers`` pipeline workers takes one CPU and loads the
    pipeline once. Raises InputError for a missing input or an output
    directory that already holds shards without ``resume``; PipelineError for
    a pipeline that cannot be built; ImportError when Ray is not installed.
    """
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(FORMATS)}, got {fmt!r}")
    from . import load

    # Build once here: a bad component list fails now, and every worker gets the same list.
    names = load(components, config, given=input_given(components)).component_names
    plan_tasks(inputs, chunk_bytes)  # a missing input or stdin fails before Ray starts
    ray = _import_ray()
    out_dir = Path(output_dir)
    skip = _prepare_dir(out_dir, resume)

    started = _start_ray(ray, address, workers)
    summary = BatchSummary()
    run_id = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + "-" + uuid.uuid4().hex[:6]
    shards = ShardWriter(out_dir, run_id, fmt, shard_records)
    err_path = out_dir / f"errors-{run_id}.jsonl"
    errw = JsonlWriter(err_path)
    start = time.perf_counter()
    ctx = ray.data.DataContext.get_current()
    saved = (ctx.execution_options.preserve_order, ctx.enable_progress_bars)
    try:
        cpus = int(ray.cluster_resources().get("CPU", 1))
        n_workers = workers or max(1, cpus)
        if n_workers > cpus:
            print(f"warning: --workers {n_workers} but the Ray cluster has {cpus} CPUs; "
                  f"only {cpus} workers can start (each takes one CPU)", file=sys.stderr)
        # four read tasks a worker at least, so that a small input still keeps every worker busy
        tasks = plan_tasks(inputs, chunk_bytes, min_tasks=4 * n_workers)
        ctx.execution_options.preserve_order = True  # duplicate ids: the first in input order wins
        ctx.enable_progress_bars = progress
        if tasks:
            skip_ref = ray.put(frozenset(skip)) if skip else None
            ds = ray.data.from_items([{"task": t.to_json()} for t in tasks], override_num_blocks=len(tasks))
            ds = ds.map_batches(
                ExtractWorker, batch_size=1, batch_format="pyarrow", num_cpus=1,
                compute=ray.data.ActorPoolStrategy(size=n_workers),
                fn_constructor_kwargs={"components": names, "config": config, "max_chars": max_chars,
                                       "batch_size": batch_size, "skip": skip_ref},
            )
            _collect(ds.iter_batches(batch_size=None, batch_format="pyarrow"), shards, errw, summary)
    finally:
        ctx.execution_options.preserve_order, ctx.enable_progress_bars = saved
        summary.seconds = time.perf_counter() - start
        shards.close()
        errw.close()
        if summary.failed == 0 and err_path.exists() and err_path.stat().st_size == 0:
            err_path.unlink()
        if started:
            ray.shutdown()
    return summary


def _collect(batches, shards: ShardWriter, errw: JsonlWriter, summary: BatchSummary) -> None:
    """Write the workers' rows in input order, with the local run's duplicate-id rule."""

    def items() -> Iterator[Record | DocumentError]:
        for table in batches:
            for row in table.to_pylist():
                kind = row["kind"]
                if kind == "skipped":
                    summary.skipped += 1
                elif kind == "read_error":
                    yield DocumentError(**json.loads(row["payload"]))
                else:
                    # a stand-in, so that extraction.dedupe applies the local rule as it stands
                    yield Record(id=row["id"], text="", source=row["source"], annotations={"row": row})

    for item in dedupe(items(), set(), summary):
        if isinstance(item, DocumentError):
            report_error(item, errw, summary)
            continue
        row = item.annotations["row"]
        if row["kind"] == "doc_error":
            report_error(DocumentError(**json.loads(row["payload"])), errw, summary)
        else:
            shards.write(row["payload"])
            summary.ok += 1
            summary.words += row["words"]


def run_ray(args: argparse.Namespace, components: Sequence[str] | None) -> int:
    """``healthcoop-nlp extract --engine ray``: 0 when every document succeeded, 1 when any failed, 2 on a usage error."""
    from .pipeline import PipelineError

    if not args.output:
        print("error: --engine ray needs --output DIR (a directory for the record and error shards)", file=sys.stderr)
        return 2
    fmt = getattr(args, "format", None) or "jsonl"
    if components is not None:
        components = [c for c in components if c]  # "--components ," asks for none
    try:
        summary = extract_ray(args.inputs, args.output, components=components, workers=args.workers,
                              address=args.address, resume=args.resume, max_chars=args.max_chars, fmt=fmt,
                              batch_size=args.batch_size, progress=not args.no_progress,
                              config=cli_config(args, components))
    except (InputError, PipelineError, ValueError, ImportError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if getattr(args, "validate", False):
        from .schema import SchemaError, validate_record

        for d in read_shards(args.output):
            try:
                validate_record(d)
            except SchemaError as e:
                print(f"error: {args.output} (id {d.get('id')}): {e}", file=sys.stderr)
                summary.failed += 1
    print(summary.line(), file=sys.stderr)
    return 1 if summary.failed else 0


def read_shards(output_dir: str | Path) -> Iterator[dict]:
    """Every record dict in the shards of ``output_dir`` (JSONL and Parquet), shard by shard."""
    for p in _record_shards(Path(output_dir)):
        if p.suffix == ".jsonl":
            with open(p, encoding="utf-8") as f:
                for line in f:
                    if line.endswith("\n"):
                        yield json.loads(line)
        else:
            import pyarrow.parquet as pq

            for row in pq.read_table(p).to_pylist():
                yield row_to_record(row)
