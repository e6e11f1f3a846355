"""The pipeline: named components run in order over records, in one or several processes.

A component is any object with ``name``, ``requires`` and ``provides`` (tuples
of capability names, as Stanza's processors declare them) and
``__call__(record) -> record``; it may also define ``pipe(records) -> records``
to process a batch at once (spaCy's ``nlp.pipe``), and ``memory_zone()``, a
context manager held around each batch (as spaCy's ``Language.memory_zone``):
what a component caches for the documents of one batch is freed when the batch
ends, so memory does not grow with the number of documents. The order is
checked once, when the pipeline is built. Components load their language
models lazily, on the first document of that language.

A document longer than ``window`` characters (10,000 by default, some five
long news articles) has its language found on a bounded sample (its first,
middle and last windows), then goes through the other components window by
window (``healthcoop_nlp.windows``), so that
time and memory grow linearly with its length whatever its shape (entity
grouping is quadratic in the mentions it compares: 3.7 s per 200,000
characters of French in 50,000-character windows, 1.0 s in 10,000); its
entities are not grouped across windows.
"""

from __future__ import annotations

import collections
import contextlib
import ctypes
import functools
import importlib
import itertools
import multiprocessing as mp
import os
import sys
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, ContextManager, Iterable, Iterator, Protocol, Sequence, runtime_checkable

from .io.errors import DocumentError
from .masking import mask_controls, unmask
from .record import Record, check_date, check_id, lone_surrogate
from .windows import merge_window, sub_record, windows

__all__ = ["Component", "Pipeline", "COMPONENTS", "DEFAULT_COMPONENTS", "PipelineError", "WorkerDied",
           "available_components"]


@runtime_checkable
class Component(Protocol):
    name: str
    requires: tuple[str, ...]
    provides: tuple[str, ...]

    def __call__(self, record: Record) -> Record: ...


class PipelineError(ValueError):
    """A pipeline that cannot be built (unknown component, wrong order)."""


class WorkerDied(RuntimeError):
    """A worker process of ``pipe(n_process > 1)`` ended without answering (killed by the
    system, e.g. out of memory, or crashed in native code). The records yielded before
    it are complete; the stream stops here instead of waiting for the lost batch."""


# name -> "module:factory"; the factory takes the component's keyword options.
COMPONENTS: dict[str, str] = {
    "langid": "healthcoop_nlp.langid.component:LangIdComponent",
    "ner": "healthcoop_nlp.ner.component:NerComponent",
    "entities": "healthcoop_nlp.entities.component:EntitiesComponent",
    "events": "healthcoop_nlp.events.component:EventsComponent",
}
DEFAULT_COMPONENTS: tuple[str, ...] = ("langid", "ner", "entities", "events")
DEFAULT_WINDOW = 10_000


def _factory(name: str) -> Callable[..., Component]:
    """The factory of a registered component, or of ``"module:Class"`` for a user's own."""
    target = COMPONENTS.get(name) or (name if ":" in name else None)
    if target is None:
        raise PipelineError(f"unknown component {name!r}; choose from {', '.join(COMPONENTS)} "
                            "or give your own as 'module:Class'")
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


def available_components() -> list[str]:
    """The registered components whose code is installed, in default order."""
    out = []
    for name in COMPONENTS:
        try:
            _factory(name)
        except (ImportError, AttributeError):
            continue
        out.append(name)
    return out


class Pipeline:
    """Runs components over records: ``nlp(text)``, ``nlp.pipe(texts)``."""

    def __init__(self, components: Sequence[str] | None = None, config: dict[str, dict[str, Any]] | None = None,
                 given: Sequence[str] = (), window: int = DEFAULT_WINDOW):
        """``given`` names capabilities the input already carries, e.g. ``("lang",)``
        for documents whose language is known, so ``ner`` may run without ``langid``.
        ``window``: documents longer than this many characters are processed in windows."""
        names = list(DEFAULT_COMPONENTS if components is None else components)
        self.given = tuple(given)
        if window < 2:
            raise PipelineError("window must be at least 2 characters")
        self.window = window
        self.config = {k: dict(v) for k, v in (config or {}).items()}
        unknown = set(self.config) - set(names)
        if unknown:
            raise PipelineError(f"config given for components not in the pipeline: {', '.join(sorted(unknown))}")
        self.components: list[Component] = [_factory(n)(**self.config.get(n, {})) for n in names]
        self._check_order()

    @property
    def component_names(self) -> list[str]:
        return [c.name for c in self.components]

    def _check_order(self) -> None:
        have = {"text", *self.given}
        for c in self.components:
            missing = [r for r in c.requires if r not in have]
            if missing:
                providers = {p: c2.name for c2 in self.components for p in c2.provides}
                hint = "; ".join(
                    f"{m!r} is provided by {providers[m]!r}, which must come first" if m in providers
                    else f"add a component that provides {m!r}, or pass given=({m!r},) if the input has it"
                    for m in missing)
                raise PipelineError(f"component {c.name!r} requires {', '.join(missing)}: {hint}")
            have.update(c.provides)

    # -- one document ----------------------------------------------------
    def __call__(self, text: str | Record, date: str | None = None, id: str | None = None,
                 lang: str | None = None) -> Record:
        """Extract one document: a text (with optional date, id, lang) or a Record.

        TypeError or ValueError for an input that is not a document (not a string, an
        empty text, an id that is not a string, a date that is not ``YYYY-MM[-DD]``)."""
        record = self._as_record(text, date=date, id=id, lang=lang, index=0)
        raw = record.text
        masked = mask_controls(raw)
        if masked is not None:
            record.text = masked
        with self.memory_zone():
            if len(record.text) > self.window:
                record = self._run_long(record, raising=True)
            else:
                record = _apply(self.components, record)
            record.annotations.clear()
        return record if masked is None else unmask(record, raw)

    def memory_zone(self) -> ContextManager[None]:
        """Every component's ``memory_zone()``, entered together: a batch's transient data
        (spaCy strings and lexemes of its new words) is freed when the block ends. Records
        keep only Python values, so they stay valid after it."""
        return memory_zones(self.components)

    @staticmethod
    def _as_record(item: str | Record, date: str | None = None, id: str | None = None,
                   lang: str | None = None, index: int = 0) -> Record:
        if isinstance(item, Record):
            _check_text(item.text)
            return item
        if not isinstance(item, str):
            raise TypeError(f"expected a str or a Record, got {type(item).__name__}")
        _check_text(item)
        rec = Record(id=check_id(id) if id is not None else f"doc{index}", text=item, date=check_date(date))
        if lang is not None:
            if not isinstance(lang, str):
                raise TypeError(f"lang must be a language code like 'fr', got {type(lang).__name__}")
            rec.lang = lang
            rec.annotations["lang_given"] = True
        return rec

    # -- batches ---------------------------------------------------------
    def process_batch(self, records: list[Record | DocumentError]) -> list[Record | DocumentError]:
        """Run every component over a batch; a document that makes a component fail
        becomes a DocumentError and the others go on (a DocumentError given in the
        batch stays in its place)."""
        raws: dict[int, str] = {}
        for i, r in enumerate(records):
            if isinstance(r, Record):
                masked = mask_controls(r.text)
                if masked is not None:
                    raws[i], r.text = r.text, masked
        with self.memory_zone():
            out = self._run_components(records)
        _release_free_memory()
        for i, raw in raws.items():
            r = out[i]
            if isinstance(r, Record):
                unmask(r, raw)
            else:
                records[i].text = raw
        return out

    def _run_components(self, records: list[Record | DocumentError]) -> list[Record | DocumentError]:
        out: list[Record | DocumentError] = list(records)
        long = [i for i, r in enumerate(out) if isinstance(r, Record) and len(r.text) > self.window]
        if long:
            short = [i for i in range(len(out)) if i not in set(long)]
            for i, r in zip(short, self._run_components([out[i] for i in short])):
                out[i] = r
            for i in long:
                out[i] = self._run_long(out[i])
            return out
        return self._isolated(self.components, out)

    def _run_long(self, record: Record, raising: bool = False) -> Record | DocumentError:
        """A document over ``window`` characters: the components up to the one that provides
        its language on a sample of three windows, the others window by window. ``raising``: a
        component's exception propagates (``nlp(text)``) instead of becoming a DocumentError."""
        def run(components: Sequence[Component], r: Record) -> Record | DocumentError:
            return _apply(components, r) if raising else self._isolated(components, [r])[0]

        head = next((k + 1 for k, c in enumerate(self.components) if "lang" in c.provides), 0)
        spans = windows(record.text, self.window)
        rec = record
        if head:
            # the language from a bounded sample: the first, middle and last windows
            picks = sorted({0, len(spans) // 2, len(spans) - 1})
            sample = Record(id=record.id, text="\n\n".join(record.text[a:b] for a, b in (spans[k] for k in picks)),
                            lang=record.lang, source=record.source, date=record.date, dialect=record.dialect,
                            annotations=dict(record.annotations))
            found = run(self.components[:head], sample)
            if not isinstance(found, Record):
                return found
            rec.lang, rec.dialect = found.lang, found.dialect
        rec.entities, rec.events = [], []
        numbers: dict[str, int] = {}
        for a, b in spans:
            sub = sub_record(rec, a, b)
            part = run(self.components[head:], sub)
            if not isinstance(part, Record):
                return DocumentError(id=rec.id, source=rec.source,
                                     reason=f"{part.reason} (in characters {a}-{b} of the document)")
            merge_window(rec, part, a, numbers)
            _release_free_memory()
        return rec

    def _isolated(self, components: Sequence[Component],
                  records: list[Record | DocumentError]) -> list[Record | DocumentError]:
        """Run ``components`` over a batch, each failure a DocumentError in its document's place."""
        out: list[Record | DocumentError] = list(records)
        for c in components:
            live = [(i, r) for i, r in enumerate(out) if isinstance(r, Record)]
            if not live:
                break
            batch_pipe = getattr(c, "pipe", None)
            done = None
            if batch_pipe is not None:
                try:
                    done = list(batch_pipe([r for _, r in live]))
                except Exception:
                    done = None  # isolate the failing document one by one below
            if done is None:
                done = []
                for _, r in live:
                    try:
                        done.append(c(r))
                    except Exception as e:  # noqa: BLE001 - reported per document, batch goes on
                        done.append(DocumentError(id=r.id, source=r.source,
                                                  reason=f"component {c.name!r} failed: {type(e).__name__}: {e}"))
            for (i, given), r in zip(live, done):
                if not isinstance(r, (Record, DocumentError)):
                    r = DocumentError(id=given.id, source=given.source,
                                      reason=f"component {c.name!r} returned {type(r).__name__}, not the Record")
                out[i] = r
        for r in out:
            if isinstance(r, Record):
                r.annotations.clear()
        return out

    def pipe(self, items: Iterable[str | Record], batch_size: int = 32, n_process: int = 1,
             errors: str = "raise") -> Iterator[Record | DocumentError]:
        """Stream records in input order.

        ``errors="raise"`` raises at the first failure (after yielding every
        record before it); ``errors="return"`` yields a DocumentError in that
        document's place and goes on, also for an item that is not a document
        (None, bytes, an empty text). ``n_process > 1`` runs the pipeline in
        worker processes (each loads its own models once); memory stays bounded
        whatever the input size, and a worker that dies (killed, crashed) raises
        ``WorkerDied`` at once instead of leaving the stream waiting.
        """
        if errors not in ("raise", "return"):
            raise ValueError('errors must be "raise" or "return"')
        records = self._records(items)
        if n_process == -1:
            n_process = os.cpu_count() or 1
        if n_process <= 1:
            results = (r for batch in _batched(records, batch_size) for r in self.process_batch(batch))
        else:
            results = self._pipe_mp(records, batch_size, n_process)
        for r in results:
            if isinstance(r, DocumentError) and errors == "raise":
                raise RuntimeError(f"document {r.id!r} failed: {r.reason}")
            yield r

    def _records(self, items: Iterable[Any]) -> Iterator[Record | DocumentError]:
        """Each item as a Record, or a DocumentError in its place when it is not a document."""
        for i, x in enumerate(items):
            try:
                yield self._as_record(x, index=i)
            except (TypeError, ValueError) as e:
                doc_id = x.id if isinstance(x, Record) else f"doc{i}"
                yield DocumentError(id=doc_id, source=getattr(x, "source", None), reason=f"item {i}: {e}")

    def _pipe_mp(self, records: Iterator[Record | DocumentError], batch_size: int,
                 n_process: int) -> Iterator[Record | DocumentError]:
        global _PARENT
        fork = "fork" in mp.get_all_start_methods()
        ctx = mp.get_context("fork" if fork else "spawn")
        # With fork the workers inherit this pipeline (and any model it already loaded);
        # with spawn they rebuild it from the component names and config.
        _PARENT = self if fork else None
        initargs = (None, None, ()) if fork else (self.component_names, self.config, self.given)
        # concurrent.futures notices a worker that dies (BrokenProcessPool); multiprocessing.Pool
        # would wait for its batch forever.
        executor = ProcessPoolExecutor(n_process, mp_context=ctx, initializer=_worker_init, initargs=initargs)
        try:
            # A bounded window of batches in flight keeps memory flat on any input size.
            window = n_process * 4
            pending: collections.deque[tuple[Future, list[Record | DocumentError]]] = collections.deque()
            for batch in _batched(records, batch_size):
                try:
                    pending.append((executor.submit(_worker_run, batch), batch))
                except BrokenProcessPool:   # a worker died before this batch could be sent
                    failed: Future = Future()
                    failed.set_exception(BrokenProcessPool())
                    pending.append((failed, batch))
                    break
                if len(pending) >= window:
                    yield from _result(*pending.popleft())
            while pending:
                yield from _result(*pending.popleft())
        finally:
            executor.shutdown(wait=True, cancel_futures=True)


def _check_text(text: str) -> None:
    if not text.strip():
        raise ValueError("empty text: there is nothing to extract from a text of only spaces")
    i = lone_surrogate(text)
    if i is not None:
        raise ValueError(f"the text has a lone surrogate (U+{ord(text[i]):04X} at character {i}), "
                         "which is not a character; fix the text")


def _result(future: Future, batch: list[Record | DocumentError]) -> list[Record | DocumentError]:
    """The records of one batch sent to a worker; WorkerDied if the worker died."""
    try:
        return future.result()
    except BrokenProcessPool:
        ids = [r.id for r in batch[:5]]
        raise WorkerDied(
            f"a worker process died while extracting a batch of {len(batch)} document(s) "
            f"(ids {', '.join(map(repr, ids))}{', ...' if len(batch) > 5 else ''}): killed by the system "
            "(out of memory?) or crashed in native code. The records before it are complete; "
            "run again with --resume (or fewer --jobs) to finish") from None


def _apply(components: Sequence[Component], record: Record) -> Record:
    """The components over one record, in order; their exceptions propagate."""
    for c in components:
        record = c(record)
    return record


@contextlib.contextmanager
def memory_zones(objects: Iterable[Any]) -> Iterator[None]:
    """The ``memory_zone()`` of each object that has one, held together (entered in order,
    left in reverse)."""
    with contextlib.ExitStack() as stack:
        for o in list(objects):
            zone = getattr(o, "memory_zone", None)
            if zone is not None:
                stack.enter_context(zone())
        yield


def _release_free_memory() -> None:
    """Hand the C allocator's free pages back to the system after a batch (glibc's
    ``malloc_trim``; nothing where there is none). A batch's native temporaries
    (tensors, arrays) leave free holes in the heap that the next batch's, sized
    otherwise, may not fit, so without this the resident size creeps up with the
    number of batches although the memory in use does not."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None).malloc_trim  # glibc; musl has none
    except (OSError, AttributeError):
        return None


def _batched(it: Iterable[Record | DocumentError], n: int) -> Iterator[list[Record | DocumentError]]:
    it = iter(it)
    while batch := list(itertools.islice(it, max(1, n))):
        yield batch


_PARENT: Pipeline | None = None
_WORKER: Pipeline | None = None
_WORKER_ERROR: str | None = None


def _worker_init(names: list[str] | None, config: dict[str, dict[str, Any]] | None,
                 given: Sequence[str]) -> None:
    # An exception here would make multiprocessing respawn the worker forever;
    # keep it and report it from the first batch instead.
    global _WORKER, _WORKER_ERROR
    try:
        if "torch" in sys.modules:
            sys.modules["torch"].set_num_threads(1)
        else:
            # torch, if a model imports it later, reads this at import (importing it here
            # would cost every worker seconds, also when no model needs it)
            os.environ["OMP_NUM_THREADS"] = "1"
        _WORKER = _PARENT if names is None else Pipeline(names, config, given)
    except Exception as e:  # noqa: BLE001
        _WORKER_ERROR = f"{type(e).__name__}: {e}"


def _worker_run(batch: list[Record | DocumentError]) -> list[Record | DocumentError]:
    if _WORKER is None:
        raise RuntimeError(f"a worker process could not build the pipeline: {_WORKER_ERROR}")
    return _WORKER.process_batch(batch)
