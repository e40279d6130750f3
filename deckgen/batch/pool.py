"""Worker processes for a batch: each compiles the template once, then renders and writes decks.

With more than one job, a ``ProcessPoolExecutor`` (``forkserver`` start method
where available, else ``spawn``) whose initializer builds one
:class:`~deckgen.build.DeckBuilder` (one compiled template) per worker process.
A worker renders *and writes* its deck (temp file in the output folder, then a
rename) and sends back only a small :class:`DeckOutcome`. Rows go to the workers
in chunks (one future and one round trip per chunk, not per row: the parent's
share of the CPU stays small), the first chunks small so that short batches
still spread over every worker. At most ``WINDOW_PER_JOB × jobs`` chunks are in
flight.
"""

from __future__ import annotations

import concurrent.futures as cf
import gc
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from deckgen.build import BuildOptions, DeckBuilder, write_built
from deckgen.errors import DeckgenError, OutputError
from deckgen.model import Profile, Prospect
from deckgen.output import defer_sync_in_this_process
from deckgen.sales.ranking import error_text, top_reasons

__all__ = [
    "DeckOutcome",
    "DeckTask",
    "WorkerPool",
    "WorkersUnavailable",
    "default_jobs",
    "render_and_write",
    "render_chunk",
]

WINDOW_PER_JOB = 4  # chunks in flight per worker
CHUNK_ROWS = 8  # rows a chunk grows to (1, 2, 4, … per worker at the start)
WORKER_START_SECONDS = 120.0  # importing deckgen and compiling the template in a new worker
REPORT_REASONS = 3  # top reasons a row's report carries (the review page shows as many)
MAX_POOL_RESTARTS = 3  # workers killed (out of memory?) more often than this: go on without them


@dataclass(frozen=True)
class DeckTask:
    """One deck to render and write (what crosses the pipe to a worker)."""

    row: int
    prospect: Prospect
    path: str


@dataclass(frozen=True)
class DeckOutcome:
    """What a worker sends back: never the deck's bytes."""

    row: int
    ok: bool
    score: int | None = None
    band: str = ""
    closing: str = ""
    warnings: tuple[str, ...] = ()
    error: str = ""
    error_field: str = ""
    error_source: str = ""  # the input the error is about ("profile"; "template": the batch stops), to name its file
    error_file: str = ""  # the file the error names, when it has one (the template of a template fault)
    cancelled: bool = False  # the batch stopped before this deck was started
    fatal: bool = False  # the output can't be written (disk full, read-only): the whole batch stops
    size: int | None = None  # bytes of the deck written (None: no customer deck), so the parent needs no stat
    confidence: float | None = None
    reason: str = ""  # the fit's verdict sentence
    reasons: tuple[str, ...] = ()  # the top reasons, as the review page shows them
    storyline: str = ""
    brief: bool = False  # a seller brief was written beside the deck


def render_and_write(builder: DeckBuilder, task: DeckTask) -> DeckOutcome:
    """Build one deck and write it atomically; a failure becomes an unsuccessful outcome."""
    try:
        deck = builder.build(task.prospect)
        write_built(Path(task.path), deck)  # the deck and, beside it, the seller brief
        size = len(deck.data) if deck.data is not None else None
    except OutputError as exc:  # every later deck would fail the same way
        return DeckOutcome(task.row, False, error=error_text(exc), error_field=exc.field or "", fatal=True)
    except DeckgenError as exc:
        return DeckOutcome(
            task.row,
            False,
            error=error_text(exc),
            error_field=exc.field or "",
            error_source=exc.source or "",
            error_file=exc.file or "",
        )
    except Exception as exc:  # a bug in one deck must not stop the batch; the report shows it
        return DeckOutcome(task.row, False, error=f"unexpected error: {type(exc).__name__}: {exc}")
    warnings = tuple(str(w) for w in deck.warnings)
    fit = deck.fit
    return DeckOutcome(
        task.row,
        True,
        fit.score,
        fit.band,
        deck.closing.line.id,
        warnings,
        size=size,
        confidence=fit.confidence,
        reason=fit.verdict,
        reasons=top_reasons(fit, REPORT_REASONS),
        storyline=deck.storyline,
        brief=deck.brief is not None,
    )


_WORKER_BUILDER: DeckBuilder | None = None
_PARENT_BUILDER: DeckBuilder | None = None  # what forked workers inherit (compiled already)


def _stop_on_sigterm(signum, frame):  # pragma: no cover - runs in worker processes
    # an exception (not the default kill) lets atomic_write remove its temp file
    raise SystemExit(128 + signum)


def _init_worker(profile: Profile, options: BuildOptions) -> None:  # pragma: no cover - worker process
    """Per worker process: compile the template once; Ctrl-C is the parent's to handle."""
    global _WORKER_BUILDER
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    defer_sync_in_this_process()  # the parent syncs before its manifest records the decks
    _WORKER_BUILDER = _PARENT_BUILDER if profile is None else DeckBuilder(profile, options)


def _init_forked() -> None:  # pragma: no cover - worker process
    """Per forked worker: the parent's compiled builder is already here, copied on write."""
    _init_worker(None, None)


def render_chunk(builder: DeckBuilder, tasks: tuple[DeckTask, ...]) -> list[DeckOutcome]:
    """:func:`render_and_write` for each task in turn; after a fatal outcome the rest are not started."""
    outcomes: list[DeckOutcome] = []
    fatal = False
    for task in tasks:
        if fatal:
            outcomes.append(DeckOutcome(task.row, False, cancelled=True))
            continue
        outcomes.append(render_and_write(builder, task))
        fatal = outcomes[-1].fatal
    return outcomes


def _work(tasks: tuple[DeckTask, ...]) -> list[DeckOutcome]:  # pragma: no cover - worker process
    assert _WORKER_BUILDER is not None
    return render_chunk(_WORKER_BUILDER, tasks)


def _ready() -> bool:  # pragma: no cover - worker process
    return _WORKER_BUILDER is not None


def default_jobs() -> int:
    """The CPUs this process may use (container and affinity limits included)."""
    counter = getattr(os, "process_cpu_count", None)
    if counter is not None:
        return counter() or 1
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _can_fork() -> bool:
    """Plain ``fork`` is safe while this process runs no other thread (no lock can be copied held)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _mp_context():
    """``forkserver`` (workers fork from a clean server that has deckgen imported), else ``spawn``.

    Used when plain ``fork`` is not safe (see :func:`_can_fork`); both run the initializer in a fresh
    interpreter state, so only picklable data crosses and each worker compiles the template itself.
    """
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload([__name__])
        return ctx
    return multiprocessing.get_context("spawn")


class WorkersUnavailable(Exception):
    """Worker processes cannot be started (or keep dying); the batch goes on in this process."""


class WorkerPool:
    """Renders decks in worker processes, in chunks of rows, at most ``window`` chunks in flight."""

    def __init__(
        self,
        jobs: int,
        profile: Profile,
        options: BuildOptions,
        builder: DeckBuilder | None = None,
        chunk_rows: int = CHUNK_ROWS,
    ) -> None:
        self.jobs = jobs
        self.window = WINDOW_PER_JOB * jobs
        self.chunk_rows = max(1, chunk_rows)
        self._initargs = (profile, options)
        self.builder = builder  # compiled in this process: forked workers start from it
        self.restarts = 0
        self.pending: dict[cf.Future, tuple[DeckTask, ...]] = {}
        self.queued: list[DeckTask] = []  # the chunk being filled
        self.sent = 0  # chunks sent
        self.executor = self._start()

    def _start(self) -> cf.ProcessPoolExecutor:
        """A new executor whose workers are known to start: one round trip before any row is sent.

        With a compiled builder and no other thread running, the workers are forked from this process
        (no import, no compile: they start in milliseconds); else they start from a forkserver.
        """
        global _PARENT_BUILDER
        forked = self.builder is not None and _can_fork()
        if forked:
            _PARENT_BUILDER = self.builder
            executor = cf.ProcessPoolExecutor(
                max_workers=self.jobs, mp_context=multiprocessing.get_context("fork"), initializer=_init_forked
            )
        else:
            executor = cf.ProcessPoolExecutor(
                max_workers=self.jobs, mp_context=_mp_context(), initializer=_init_worker, initargs=self._initargs
            )
        # Forked workers inherit the heap frozen: their garbage collector never walks the compiled template
        # (less CPU, and fewer pages copied on write); this process unfreezes once they are started.
        thaw = forked and gc.get_freeze_count() == 0  # leave a freeze made by someone else as it is
        if forked:
            gc.freeze()
        try:
            executor.submit(_ready).result(timeout=WORKER_START_SECONDS)
        except Exception as exc:  # a broken pool, a timeout, an unpicklable profile…
            executor.shutdown(wait=False, cancel_futures=True)
            raise WorkersUnavailable(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__) from None
        finally:
            if thaw:
                gc.unfreeze()
        return executor

    def submit(self, task: DeckTask) -> Iterator[tuple[DeckTask, DeckOutcome]]:
        """Queue ``task``, sending the chunk when it is full; yields finished ones while the window is full.

        Raises WorkersUnavailable when workers died more than ``MAX_POOL_RESTARTS`` times.
        """
        self.queued.append(task)
        if len(self.queued) >= min(self.chunk_rows, 2 ** (self.sent // self.jobs)):
            yield from self._send()

    def _send(self) -> Iterator[tuple[DeckTask, DeckOutcome]]:
        while len(self.pending) >= self.window:
            yield from self.collect(block=True)
        tasks, self.queued = tuple(self.queued), []
        try:
            fut = self.executor.submit(_work, tasks)
        except cf.process.BrokenProcessPool:
            # a worker died (killed for memory?): its rows are reported failed, the batch goes on
            yield from self._finish_pending()
            self.executor.shutdown(wait=True)
            self.restarts += 1
            try:
                if self.restarts > MAX_POOL_RESTARTS:
                    raise WorkersUnavailable(f"worker processes died {self.restarts} times") from None
                self.executor = self._start()
            except WorkersUnavailable:
                self.queued = list(tasks)  # never sent: the caller builds them in its own process
                raise
            fut = self.executor.submit(_work, tasks)
        self.pending[fut] = tasks
        self.sent += 1

    def take_queued(self) -> list[DeckTask]:
        """The rows queued but not sent to a worker yet, taken off the queue (to build them here, or cancel them)."""
        tasks, self.queued = self.queued, []
        return tasks

    def collect(self, block: bool, timeout: float | None = None) -> Iterator[tuple[DeckTask, DeckOutcome]]:
        """Yield the finished tasks in row order; ``block`` waits (up to ``timeout``) for at least one chunk."""
        if not self.pending:
            return
        done, _ = cf.wait(list(self.pending), timeout=timeout if block else 0, return_when=cf.FIRST_COMPLETED)
        for fut in sorted(done, key=lambda f: self.pending[f][0].row):
            tasks = self.pending.pop(fut)
            yield from zip(tasks, self._outcomes(tasks, fut))

    @staticmethod
    def _outcomes(tasks: tuple[DeckTask, ...], fut: cf.Future) -> list[DeckOutcome]:
        if fut.cancelled():
            return [DeckOutcome(task.row, False, cancelled=True) for task in tasks]
        exc = fut.exception()
        if exc is None:
            return fut.result()
        if isinstance(exc, cf.process.BrokenProcessPool):
            error = "a worker process died while building this deck (out of memory?)"
        else:
            error = f"unexpected error: {type(exc).__name__}: {exc}"
        return [DeckOutcome(task.row, False, error=error) for task in tasks]

    def _finish_pending(self) -> Iterator[tuple[DeckTask, DeckOutcome]]:
        while self.pending:
            yield from self.collect(block=True)

    def drain(self) -> Iterator[tuple[DeckTask, DeckOutcome]]:
        """Send the chunk being filled, then yield every task still in flight as it finishes."""
        if self.queued:
            yield from self._send()
        yield from self._finish_pending()

    def stop(self, grace: float) -> Iterator[tuple[DeckTask, DeckOutcome]]:
        """Cancel queued rows, let running ones finish within ``grace`` seconds, then end the workers."""
        for task in self.take_queued():
            yield task, DeckOutcome(task.row, False, cancelled=True)
        for fut in self.pending:
            fut.cancel()
        deadline = time.monotonic() + grace
        try:
            while self.pending and time.monotonic() < deadline:
                yield from self.collect(block=True, timeout=max(0.0, deadline - time.monotonic()))
        except KeyboardInterrupt:
            pass  # a second Ctrl-C: do not wait any longer
        if self.pending:
            self._terminate()
            for fut, tasks in list(self.pending.items()):
                self.pending.pop(fut)
                for task in tasks:
                    yield task, DeckOutcome(task.row, False, cancelled=True)
        self.close()

    def _terminate(self) -> None:
        # ProcessPoolExecutor has no public way to end busy workers before Python 3.14
        processes = list((getattr(self.executor, "_processes", None) or {}).values())
        for proc in processes:
            proc.terminate()
        for proc in processes:
            proc.join(2)
            if proc.is_alive():
                proc.kill()

    def close(self) -> None:
        """Shut the workers down once they are idle; queued tasks are cancelled."""
        global _PARENT_BUILDER
        self.executor.shutdown(wait=True, cancel_futures=True)
        if _PARENT_BUILDER is self.builder:  # forked workers have their copy; this process may free it
            _PARENT_BUILDER = None
