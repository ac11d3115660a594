"""Batches: every input gets exactly one record, in input order, whatever happens inside.

One mechanism serves the limits and the cores: a pool of worker processes.

* Each file runs in the guarded unit :func:`giextract.pipeline.extract_guarded`, so an
  exception becomes that file's error record (E000) and never the batch's end.
* A file that runs past the wall-time limit is cut off: its worker is killed (a hang in
  a C parser included) and replaced; the file gets E020.
* Each worker runs under an address-space limit (``RLIMIT_AS``); a file that needs
  more gets E021 and the worker is replaced, so memory never accumulates.
* A worker that dies (a crash in C, the kernel's OOM killer) costs the file it was
  working on one E022 record; a new worker takes its place.
* Records come out in input order, and only a bounded window of files is in flight
  or waiting to be written, so memory stays constant over any number of files; the
  inputs are read lazily from any iterable.

The CLI uses :func:`iter_batch`; the HTTP service runs each request as a :class:`Job` in
the same pool (:meth:`WorkerPool.call`, safe to call from several threads).
"""

from __future__ import annotations

import contextlib
import fnmatch
import gc
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING, Any, TextIO

from .errors import ErrorCode, GiextractError
from .records import TEXT_WRITERS, RecordWriter, open_output
from .report import Report

if TYPE_CHECKING:  # multiprocessing is imported by the pool, not by a batch run in-process
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

DEFAULT_TIMEOUT_S = 30.0
DEFAULT_MEMORY_MB = 2048
_START_HEADROOM_MB = 128
_GLIBC_OUT_OF_MEMORY = 127  # glibc's exit code when it cannot allocate thread-local data


@dataclass(frozen=True)
class Limits:
    """The limits every file of a batch runs under.

    Attributes:
        timeout_s: wall seconds per file (None: no limit).
        memory_mb: address space per worker in MiB (None: no limit).  A worker that
            already uses more when it starts (forked from a large parent) gets its
            start-up size plus 128 MiB instead.
    """

    timeout_s: float | None = DEFAULT_TIMEOUT_S
    memory_mb: int | None = DEFAULT_MEMORY_MB


@dataclass(frozen=True)
class Blob:
    """An input held in memory (e.g. standard input): its bytes and the record's name."""

    name: str
    data: bytes


Source = str | os.PathLike[str] | Blob


@dataclass(frozen=True)
class Job:
    """A service request for a worker: ``kind`` is ``bytes`` (``payload``: ``data``,
    ``name``), ``text`` (``text``, ``name``) or ``check`` (``record``, optional ``mapping``
    and ``text``).  Its result is a JSON-ready dict (a record, or the check's findings)."""

    kind: str
    payload: dict[str, Any]

    @property
    def name(self) -> str:
        """The record's name."""
        return str(self.payload.get("name", "<request>"))

    def run(self) -> dict[str, Any]:
        """Do the job in this process; an exception becomes an E000 error record."""
        from .check import check
        from .errors import internal_error
        from .pipeline import error_report, extract_bytes, extract_text

        try:
            if self.kind == "bytes":
                return extract_bytes(self.payload["data"], name=self.name).to_dict()
            if self.kind == "text":
                return extract_text(self.payload["text"], name=self.name).to_dict()
            p = self.payload
            return check(p["record"], mapping=p.get("mapping"), source=p.get("text")).to_dict()
        except Exception as exc:  # the guard: a bug is this job's error, not the worker's end
            return error_report(self.name, internal_error(exc)).to_dict()


Task = Source | Job
Result = Report | dict[str, Any]


@dataclass
class PoolStats:
    """What a batch cost: files, limit breaches, workers started and their peak memory."""

    files: int = 0
    timeouts: int = 0
    memory_breaches: int = 0
    crashes: int = 0
    workers_started: int = 0
    peak_rss_mb: list[float] = field(default_factory=list)


def default_workers() -> int:
    """The number of cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def source_name(source: Task) -> str:
    """The name a record of this input carries."""
    if isinstance(source, Blob | Job):
        return source.name
    return os.fspath(source) if isinstance(source, os.PathLike) else str(source)


def _failed(task: Task, code: ErrorCode, message: str, fix: str | None) -> Report:
    """The error record of a task the pool could not finish (time, memory, a crash)."""
    from .pipeline import error_report

    return error_report(source_name(task), GiextractError(code, message, fix))


def extract_source(source: Source) -> Report:
    """One guarded extraction of a batch input (never raises)."""
    from .pipeline import extract_guarded

    if isinstance(source, Blob):
        return extract_guarded(source.data, name=source.name)
    return extract_guarded(source)


def run_task(task: Task) -> Result:
    """A batch input's record, or a service job's result (never raises)."""
    return task.run() if isinstance(task, Job) else extract_source(task)


def _error_code(result: Result) -> str | None:
    error = result.error if isinstance(result, Report) else result.get("error")
    return str(error.get("code")) if isinstance(error, dict) else None


# --- the worker process --------------------------------------------------------------


def _vm_size_mb() -> float | None:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _peak_rss_mb() -> float:
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _set_memory_limit(memory_mb: int | None) -> None:
    if memory_mb is None:
        return
    try:
        import resource
    except ImportError:  # pragma: no cover - not on POSIX
        return
    current = _vm_size_mb() or 0.0
    limit_mb = max(float(memory_mb), current + _START_HEADROOM_MB)
    limit = int(limit_mb * 1024 * 1024)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _warm_up() -> None:
    """Load the readers' native libraries and touch their thread-local data now.

    glibc allocates a library's thread-local storage on first use; if that first use
    comes when a file has taken all the memory the limit allows, the process aborts
    (exit code 127) instead of raising MemoryError.  Needed only under a memory limit.
    """
    from lxml import etree

    etree.fromstring(b"<a><b/></a>")


WORKER_GC_THRESHOLD = 50_000
"""A worker's first-generation collection threshold (Python's default: 700).  A report's
objects are freed by their reference counts as it ends; the cycle collector, run every 700
allocations, spent 4.9% of extraction time over 1,000 real reports finding next to
nothing, and none at this threshold (cycles still get collected, less often)."""


def _quiet_collector() -> None:
    """Freeze what the worker has loaded (the model, the catalogue, the compiled rules:
    never scanned again) and collect cycles less often (:data:`WORKER_GC_THRESHOLD`)."""
    gc.collect()
    gc.freeze()
    _, second, third = gc.get_threshold()
    gc.set_threshold(WORKER_GC_THRESHOLD, second, third)


def _worker_main(conn: Connection, memory_mb: int | None) -> None:
    """A worker: load the model, then extract each file it is sent until told to stop."""
    from multiprocessing import connection, parent_process

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    from .classify import load_model

    load_model.cache_clear()  # never share a parent's onnxruntime session across fork
    try:
        load_model()
        if memory_mb is not None:
            _warm_up()
    except (GiextractError, MemoryError, ImportError):
        pass  # each file's guarded unit reports it
    _quiet_collector()
    _set_memory_limit(memory_mb)
    parent = parent_process()
    waitables: list[Any] = [conn] if parent is None else [conn, parent.sentinel]
    while True:
        if conn not in connection.wait(waitables):
            return  # the parent died (its end of the pipe may live on in other workers)
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, source = task
        report = run_task(source)
        try:
            conn.send((index, report, _peak_rss_mb()))
        except OSError:
            return  # the parent went away
        except Exception as exc:  # e.g. a record that cannot be pickled
            from .errors import internal_error
            from .pipeline import error_report

            fallback = error_report(source_name(source), internal_error(exc))
            conn.send((index, fallback, _peak_rss_mb()))
        if _error_code(report) == ErrorCode.MEMORY_LIMIT.value:
            return  # a fresh worker takes over: the heap may be fragmented


# --- the pool ------------------------------------------------------------------------


@dataclass
class _Worker:
    slot: int
    process: BaseProcess
    conn: Connection
    task: tuple[int, Task] | None = None
    started: float = 0.0


class WorkerPool:
    """A pool of guarded worker processes that runs a batch and streams its records.

    Use it as a context manager, or call :meth:`close` when done::

        with WorkerPool(2, Limits(timeout_s=10)) as pool:
            for report in pool.map(paths):
                ...

    Args:
        workers: the number of worker processes (default: the number of cores).
        limits: the per-file time and per-worker memory limits.
        window: the most files in flight or waiting for an earlier one, the bound on
            the pool's memory (default: 32 per worker).
        start_method: multiprocessing's start method (default: ``fork`` where there
            is one, else ``spawn``).
    """

    def __init__(
        self,
        workers: int | None = None,
        limits: Limits | None = None,
        *,
        window: int | None = None,
        start_method: str | None = None,
    ) -> None:
        self.size = workers or default_workers()
        self.limits = limits or Limits()
        self.window = max(self.size, window or 32 * self.size)
        from multiprocessing import get_context

        methods = ("fork", "spawn")
        self._ctx = get_context(start_method or next(m for m in methods if _has_method(m)))
        self.stats = PoolStats(peak_rss_mb=[0.0] * self.size)
        self._workers: list[_Worker | None] = [None] * self.size
        self._lock = threading.Lock()  # for call(): claiming, spawning and retiring workers
        self._free = threading.Semaphore(self.size)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _spawn(self, slot: int) -> _Worker:
        for stream in (sys.stdout, sys.stderr):  # a forked child must not re-flush them
            with contextlib.suppress(OSError, ValueError, AttributeError):
                stream.flush()
        if self._ctx.get_start_method() == "fork":  # loaded once, shared by every worker
            import_module(".pipeline", __package__)
        parent, child = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(  # type: ignore[attr-defined]
            target=_worker_main, args=(child, self.limits.memory_mb), daemon=True
        )
        process.start()
        child.close()
        self.stats.workers_started += 1
        worker = _Worker(slot, process, parent)
        self._workers[slot] = worker
        return worker

    def _retire(self, worker: _Worker, kill: bool) -> None:
        if kill and worker.process.is_alive():
            worker.process.kill()
        worker.process.join(timeout=5)
        worker.conn.close()
        self._workers[worker.slot] = None

    def close(self) -> None:
        """Stop every worker (those working are killed)."""
        for worker in self._workers:
            if worker is None:
                continue
            if worker.task is None and worker.process.is_alive():
                with contextlib.suppress(OSError, ValueError):
                    worker.conn.send(None)
                worker.process.join(timeout=2)
            self._retire(worker, kill=True)

    def _record_rss(self, slot: int, rss_mb: float) -> None:
        self.stats.peak_rss_mb[slot] = max(self.stats.peak_rss_mb[slot], rss_mb)

    def _death_report(self, worker: _Worker) -> Report:
        assert worker.task is not None
        code = worker.process.exitcode
        source = worker.task[1]
        if code is not None and code < 0 and -code == signal.SIGKILL:
            self.stats.memory_breaches += 1
            return _failed(
                source,
                ErrorCode.MEMORY_LIMIT,
                "the worker was killed by the system (SIGKILL) while reading this file, "
                "most likely for running out of memory",
                "lower --workers or raise the machine's memory; or split the file",
            )
        if code == _GLIBC_OUT_OF_MEMORY and self.limits.memory_mb is not None:
            self.stats.memory_breaches += 1
            return _failed(
                source,
                ErrorCode.MEMORY_LIMIT,
                f"the file needs more memory than the limit of {self.limits.memory_mb} MiB "
                "per worker (the worker ran out of memory in a native library)",
                "raise the limit (giextract extract --memory-limit MB) or split the file",
            )
        self.stats.crashes += 1
        how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        return _failed(
            source,
            ErrorCode.WORKER_CRASHED,
            f"the worker process died ({how}) while reading this file",
            "please report it with the file that caused it",
        )

    def _timeout_report(self, worker: _Worker) -> Report:
        assert worker.task is not None
        self.stats.timeouts += 1
        return _failed(
            worker.task[1],
            ErrorCode.TIMEOUT,
            f"the file took longer than the limit of {self.limits.timeout_s:g} s and was cut off",
            "raise the limit with --timeout SECONDS if the file is sound",
        )

    def call(self, task: Task, timeout_s: float | None = None) -> tuple[Result, ErrorCode | None]:
        """Run one task in the next idle worker and wait for it; safe from several threads.

        Returns the result and, when the pool cut the task off, why (``TIMEOUT``,
        ``MEMORY_LIMIT`` or ``WORKER_CRASHED``; the result is then its error record).
        ``timeout_s`` overrides the limits' time for this task.
        """
        limit = self.limits.timeout_s if timeout_s is None else timeout_s
        with self._free:
            with self._lock:
                worker = self._idle_worker()
                assert worker is not None  # the semaphore leaves a slot idle or empty
                done: dict[int, Report] = {}
                self._send(worker, (0, task), done)
            if done:
                return done[0], ErrorCode.WORKER_CRASHED
            ready = _wait([worker.conn, worker.process.sentinel], limit)
            with self._lock:
                return self._called(worker, task, ready, limit)

    def _called(
        self, worker: _Worker, task: Task, ready: list[Any], limit: float | None
    ) -> tuple[Result, ErrorCode | None]:
        """The outcome of :meth:`call` once its worker answered, died or ran out of time."""
        if worker.conn in ready:
            try:
                _, result, rss_mb = worker.conn.recv()
            except (EOFError, OSError):
                ready = [worker.process.sentinel]
            else:
                worker.task = None
                self._record_rss(worker.slot, rss_mb)
                self.stats.files += 1
                if _error_code(result) == ErrorCode.MEMORY_LIMIT.value:
                    self._retire(worker, kill=False)
                return result, None
        if worker.process.sentinel in ready:
            worker.process.join(timeout=5)
            report = self._death_report(worker)
            self._retire(worker, kill=True)
            return report, ErrorCode(report.error["code"]) if report.error else None
        self.stats.timeouts += 1
        self._retire(worker, kill=True)
        message = f"the work took longer than the limit of {limit:g} s and was cut off"
        return _failed(task, ErrorCode.TIMEOUT, message, None), ErrorCode.TIMEOUT

    def map(self, sources: Iterable[Source]) -> Iterator[Report]:
        """One record per source, in input order, each as soon as it and all before it
        are done."""
        pending = iter(enumerate(sources))
        done: dict[int, Report] = {}
        next_out = 0
        submitted = 0
        exhausted = False
        while True:
            while not exhausted and submitted < next_out + self.window:
                worker = self._idle_worker()
                if worker is None:
                    break
                item = next(pending, None)
                if item is None:
                    exhausted = True
                    break
                self._send(worker, item, done)
                submitted += 1
            while next_out in done:
                self.stats.files += 1
                yield done.pop(next_out)
                next_out += 1
            if exhausted and next_out == submitted:
                return
            self._collect(done)

    def _idle_worker(self) -> _Worker | None:
        for slot, worker in enumerate(self._workers):
            if worker is None:
                return self._spawn(slot)
            if worker.task is None:
                return worker
        return None

    def _send(self, worker: _Worker, item: tuple[int, Task], done: dict[int, Report]) -> None:
        for attempt in range(2):
            worker.task, worker.started = item, time.monotonic()
            try:
                worker.conn.send(item)
                return
            except (OSError, ValueError):  # the worker died while idle: not this file's doing
                worker.process.join(timeout=5)
                if attempt:
                    done[item[0]] = self._death_report(worker)
                self._retire(worker, kill=True)
                if not attempt:
                    worker = self._spawn(worker.slot)

    def _collect(self, done: dict[int, Report]) -> None:
        busy = [w for w in self._workers if w is not None and w.task is not None]
        if not busy:
            return
        timeout = None
        if self.limits.timeout_s is not None:
            first = min(w.started for w in busy) + self.limits.timeout_s
            timeout = max(0.0, first - time.monotonic())
        waitables: list[Any] = [w.conn for w in busy] + [w.process.sentinel for w in busy]
        ready = set(_wait(waitables, timeout))
        for worker in busy:
            if worker.conn in ready:
                self._receive(worker, done)
            elif worker.process.sentinel in ready:
                self._on_death(worker, done)
            elif self._overdue(worker):
                assert worker.task is not None
                done[worker.task[0]] = self._timeout_report(worker)
                self._retire(worker, kill=True)

    def _overdue(self, worker: _Worker) -> bool:
        limit = self.limits.timeout_s
        return limit is not None and time.monotonic() - worker.started >= limit

    def _receive(self, worker: _Worker, done: dict[int, Report]) -> None:
        try:
            index, report, rss_mb = worker.conn.recv()
        except (EOFError, OSError):
            self._on_death(worker, done)
            return
        worker.task = None
        self._record_rss(worker.slot, rss_mb)
        done[index] = report
        if report.error and report.error.get("code") == ErrorCode.MEMORY_LIMIT.value:
            self.stats.memory_breaches += 1
            self._retire(worker, kill=False)  # it exits by itself; a new one is spawned

    def _on_death(self, worker: _Worker, done: dict[int, Report]) -> None:
        worker.process.join(timeout=5)
        if worker.task is not None:
            done[worker.task[0]] = self._death_report(worker)
        self._retire(worker, kill=True)


def _wait(waitables: list[Any], timeout: float | None) -> list[Any]:
    """:func:`multiprocessing.connection.wait`: the connections and sentinels ready."""
    from multiprocessing import connection

    return connection.wait(waitables, timeout)


def _has_method(name: str) -> bool:
    from multiprocessing import get_all_start_methods

    return name in get_all_start_methods()


def iter_batch(
    sources: Iterable[Source],
    *,
    workers: int | None = None,
    limits: Limits | None = None,
    stats: PoolStats | None = None,
) -> Iterator[Report]:
    """Extract a batch: one record per source, in input order, each file guarded.

    Args:
        sources: paths, report texts or :class:`Blob` inputs (read lazily).
        workers: worker processes (default: the number of cores); 0 runs every file
            in this process, guarded but without time or memory limits.
        limits: per-file time and per-worker memory limits.
        stats: filled in with what the batch cost, if given.
    """
    if workers == 0:
        for source in sources:
            if stats is not None:
                stats.files += 1
            yield extract_source(source)
        return
    with WorkerPool(workers, limits) as pool:
        try:
            yield from pool.map(sources)
        finally:
            if stats is not None:
                stats.__dict__.update(pool.stats.__dict__)


# --- inputs: files, directories and standard input ----------------------------------

DEFAULT_INCLUDE = (
    "*.txt",
    "*.text",
    "*.md",
    "*.htm",
    "*.html",
    "*.shtml",
    "*.xhtml",
    "*.docx",
    "*.doc",
    "*.pdf",
    "*.rtf",
)
STDIN = "-"


def _included(name: str, include: Sequence[str]) -> bool:
    lowered = name.lower()
    return any(fnmatch.fnmatchcase(lowered, pattern.lower()) for pattern in include)


def _walk(directory: str, include: Sequence[str]) -> Iterator[str]:
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and _included(name, include):
                yield os.path.join(root, name)


def expand_inputs(
    inputs: Iterable[str],
    include: Sequence[str] = DEFAULT_INCLUDE,
    read_stdin: Callable[[], bytes] | None = None,
) -> Iterator[Source]:
    """The batch inputs named on a command line, lazily, in order.

    A directory stands for every file under it (recursively, sorted, hidden files
    and folders skipped) whose name matches one of ``include`` (case-insensitive
    shell patterns); a file named explicitly is always taken, and one that does not
    exist is still an input (its record says so); ``-`` is standard input.

    Args:
        inputs: file names, directory names and ``-``.
        include: the name patterns of the files taken from directories.
        read_stdin: returns standard input's bytes (needed if ``-`` is an input).
    """
    for name in inputs:
        if name == STDIN and read_stdin is not None:
            yield Blob("<stdin>", read_stdin())
        elif os.path.isdir(name):
            yield from _walk(name, include)
        else:
            yield name


def open_writer(fmt: str, path: os.PathLike[str] | str | None, stdout: TextIO) -> RecordWriter:
    """A writer of records in ``fmt`` to the file ``path``, or to ``stdout``.

    The file is opened now, so an output that cannot be written is an error before
    any work is done.

    Raises:
        GiextractError: E024 when the file cannot be written (or Parquet is asked
            for without a file), E023 when Parquet's extra is not installed.
    """
    if fmt == "parquet":
        if path is None:
            raise GiextractError(
                ErrorCode.OUTPUT_UNWRITABLE,
                "Parquet is a binary format: it needs an output file",
                "add -o records.parquet",
            )
        from .parquet import ParquetRecordWriter

        return ParquetRecordWriter(path)
    if fmt not in TEXT_WRITERS:
        raise GiextractError(ErrorCode.OUTPUT_UNWRITABLE, f"unknown output format {fmt!r}")
    if path is None:
        return TEXT_WRITERS[fmt](stdout)
    out = open_output(path)
    writer = TEXT_WRITERS[fmt](out)
    return _ClosingWriter(writer, out)


class _ClosingWriter(RecordWriter):
    def __init__(self, writer: RecordWriter, out: TextIO) -> None:
        self.writer, self.out = writer, out

    def write(self, report: Report) -> None:
        self.writer.write(report)

    def close(self) -> None:
        try:
            self.writer.close()
        finally:
            self.out.close()
