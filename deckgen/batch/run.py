"""Running a batch: stream the rows of a :class:`~deckgen.batch.plan.BatchPlan`, build what changed, report.

- **Rows** are never materialised as a list: each is read, named, checked against
  the resume manifest and, if its deck must be built, handed to this process or to
  a :class:`~deckgen.batch.pool.WorkerPool`. Only a compact
  :class:`~deckgen.batch.report.RowReport` per row is kept, so memory stays flat.
- **Names.** Every shard allocates names for *every* row (it only builds its own),
  so shards agree on names and never write the same file.
- **Progress** goes to an ``on_progress`` callback after every row; this module
  never prints.
- **Stopping.** Ctrl-C (or SIGTERM) stops submitting rows, lets the decks being
  written finish (or terminates their workers after a grace period), then writes
  the manifest and the report of what was done; :attr:`BatchResult.interrupted`
  tells the CLI to exit 130.
- **A list that stops reading** part-way (its read deadline, :mod:`deckgen.load.table.deadline`)
  is a run that did part of the work: the decks built from the rows before are kept and recorded
  in the manifest and the report (a rerun skips them), then :class:`ListStoppedError` (exit 1)
  names the last row read. If no row was done yet, the deadline's own error (exit 2) is raised
  and nothing is written — as when the deadline hits the counting pass before any deck.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from deckgen.batch.duplicates import DuplicateFinder, row_phone
from deckgen.batch.folder import batch_lock, remove_stale_parts
from deckgen.batch.manifest import Manifest, row_digest
from deckgen.batch.plan import BatchPlan
from deckgen.batch.pool import (
    DeckOutcome,
    DeckTask,
    WorkerPool,
    WorkersUnavailable,
    default_jobs,
    render_and_write,
)
from deckgen.batch.records import UsedNames
from deckgen.batch.report import RowReport, report_meta, unreadable_row, write_report
from deckgen.batch.rowlog import RowLog
from deckgen.batch.rowreports import built_row, failed_row, skipped_row
from deckgen.errors import DeckgenError, DeckgenWarning, ExitCode, LoadDeadlineError, OutputError, TemplateFaultError
from deckgen.naming import NameAllocator
from deckgen.output import deferred_sync
from deckgen.sales.fit import score_fit

__all__ = ["BatchProgress", "BatchResult", "ListStoppedError", "ProgressCallback", "run_batch"]

MANIFEST_SAVE_SECONDS = 5.0  # an interrupted run keeps what finished up to this long ago
STOP_GRACE_SECONDS = 10.0  # decks being written when Ctrl-C comes get this long to finish


class ListStoppedError(LoadDeadlineError):
    """The prospect list stopped reading part-way; what was done before is kept and in the report."""

    exit_code = ExitCode.SOME_FAILED


@dataclass(frozen=True, slots=True)
class BatchProgress:
    """How far a batch is: rows done of ``total`` (None when not counted), and what became of them."""

    done: int
    total: int | None
    built: int
    skipped: int
    failed: int


ProgressCallback = Callable[[BatchProgress], None]


@dataclass
class BatchResult:
    """How a batch went."""

    rows: Sequence[RowReport]  # a RowLog: read from disk as it is iterated
    report_json: Path
    report_csv: Path
    jobs: int
    seconds: float
    interrupted: bool = False
    stopped_early: bool = False  # --fail-fast
    counts: Counter = field(default_factory=Counter)
    duplicates: int = 0  # rows that repeat an earlier row (their warnings say which)
    total: int | None = None  # rows the run would have looked at, when counted (for progress, or after a stop)

    @property
    def bands(self) -> Counter:
        """Decks (built or skipped) by band."""
        return Counter(r.band for r in self.rows if r.band and r.status != "failed")

    def in_row_order(self) -> Iterator[RowReport]:
        """The rows by row number, streamed (never every row in memory at once)."""
        return _in_row_order(self.rows)

    @property
    def walk_away(self) -> list[RowReport]:
        """The rows whose band is walk away, in row order."""
        return [r for r in _in_row_order(self.rows) if r.band == "walk_away" and r.status != "failed"]

    @property
    def failed(self) -> list[RowReport]:
        """The failed rows, in row order."""
        return [r for r in _in_row_order(self.rows) if r.status == "failed"]

    @property
    def exit_code(self) -> ExitCode:
        """130 when interrupted, 1 when some rows failed, else 0."""
        if self.interrupted:
            return ExitCode.INTERRUPTED
        return ExitCode.SOME_FAILED if self.counts["failed"] else ExitCode.OK


def _in_row_order(rows: Sequence[RowReport]) -> Iterator[RowReport]:
    """Rows by row number, streamed from a RowLog (never every row in memory at once)."""
    return rows.in_row_order() if hasattr(rows, "in_row_order") else iter(sorted(rows, key=lambda r: r.row))


def run_batch(plan: BatchPlan, on_progress: ProgressCallback | None = None) -> BatchResult:
    """Build the decks of ``plan`` and write the manifest and report; returns the result (also when
    interrupted: ``result.interrupted``).

    ``on_progress`` is called after every row; with it, the rows are counted first (one more read of
    the list) so that updates carry a total.
    """
    req = plan.request
    try:
        req.out_dir.mkdir(parents=True, exist_ok=True)
        plan.report_json.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot create the folder ({exc.strerror}); check the path or choose another --out-dir", file=exc.filename
        ) from None
    if not os.access(req.out_dir, os.W_OK):
        raise OutputError(
            "output folder is not writable; choose another --out-dir or ask for write access", file=str(req.out_dir)
        )
    with batch_lock(req.out_dir, req.shard), deferred_sync():  # Manifest.save syncs decks before recording them
        return _locked_run(plan, on_progress)


def _locked_run(plan: BatchPlan, on_progress: ProgressCallback | None) -> BatchResult:
    req = plan.request
    removed = remove_stale_parts(req.out_dir)
    if removed:
        plan.notes.append(f"removed {removed} temp file(s) an interrupted run left in {req.out_dir}")
    manifest = Manifest.load(req.out_dir, req.shard)
    manifest.inputs = plan.fingerprint
    plan.warnings.extend(manifest.warnings)
    changed = manifest.changed_inputs()
    if changed and not req.force:
        plan.notes.append(f"changed since the last run: {', '.join(changed)}; affected decks are rebuilt")

    total = plan.count_rows() if on_progress is not None else None
    jobs = max(1, req.jobs or default_jobs())
    if total is not None:
        jobs = max(1, min(jobs, total))

    run = _Run(plan, manifest, jobs, total, on_progress)
    started = time.monotonic()
    with _sigterm_as_interrupt():
        try:
            run.loop()
        except KeyboardInterrupt:
            run.interrupted = True
            run.stop()
        finally:
            if run.pool is not None and not run.interrupted:
                run.pool.close()
    if run.unread is not None:
        run.stopped_early = True
    result = BatchResult(
        run.rows,
        plan.report_json,
        plan.report_csv,
        run.jobs,
        time.monotonic() - started,
        run.interrupted,
        run.stopped_early,
        run.counts,
        run.duplicates,
        total,
    )
    if run.template_fault is not None:
        raise _stopped_by_template(run, plan, manifest, result)
    if run.fatal is not None:
        try:  # keep what finished, if the disk lets us
            manifest.save()
            write_report(plan.report_json, plan.report_csv, run.rows, report_meta(plan, result), req.out_dir)
        except (OSError, DeckgenError):
            pass
        raise OutputError(
            f"the batch stopped: {run.fatal}; free some space or make the folder writable "
            "(or choose another --out-dir), then run the batch again",
            file=str(req.out_dir),
        )
    if run.unread is not None and not run.rows:  # nothing done yet: an input error, nothing written
        raise run.unread
    manifest.save(prune=not run.interrupted and run.unread is None)
    write_report(plan.report_json, plan.report_csv, run.rows, report_meta(plan, result), req.out_dir)
    if run.unread is not None:
        raise _list_stopped(run.unread, result)
    return result


def _stopped_by_template(run: _Run, plan: BatchPlan, manifest: Manifest, result: BatchResult) -> TemplateFaultError:
    """The error (exit 2) of a batch a template fault stopped; the decks built before it are recorded, if any.

    With none built (the fault came with the first deck, as a fault in every deck does), nothing is written.
    """
    fault = run.template_fault
    message = f"{fault.error}; this is the template's, not one row's, so the batch stopped: fix the template"
    built = result.counts["built"]
    if built:
        manifest.save(prune=False)
        write_report(plan.report_json, plan.report_csv, run.rows, report_meta(plan, result), plan.request.out_dir)
        message += f"; the {built} deck(s) built before it are kept and listed in {result.report_json.name}"
    else:
        message += "; no deck was written"
    return TemplateFaultError(message, file=fault.error_file or None, source="template")


def _list_stopped(exc: LoadDeadlineError, result: BatchResult) -> ListStoppedError:
    built = result.counts["built"] + result.counts["skipped-unchanged"]
    kept = (
        f"the {built} deck(s) of the rows before it are kept and listed in {result.report_json.name} "
        "(a rerun skips them); the rows after it were not built"
    )
    return ListStoppedError(f"{exc.message}; {kept}", file=exc.file, row=exc.row)


class _Run:
    """The state of one running batch."""

    def __init__(
        self, plan: BatchPlan, manifest: Manifest, jobs: int, total: int | None, on_progress: ProgressCallback | None
    ) -> None:
        self.plan = plan
        self.manifest = manifest
        self.jobs = jobs
        self.total = total
        self.on_progress = on_progress
        self.rows = RowLog()  # on disk: a few bytes a row in memory
        self.counts: Counter = Counter()  # by status
        self.pool: WorkerPool | None = None
        # row -> (id, company, file name, input digest, warnings, row it duplicates) of decks being built
        self.inflight: dict[int, tuple[str, str, str, str, tuple[str, ...], int | None]] = {}
        self.duplicates = 0  # rows that repeat an earlier row (this shard's)
        self.interrupted = False
        self.stopped_early = False
        self.fatal: str | None = None  # why the output can't be written
        self.unread: LoadDeadlineError | None = None  # why the list stopped reading part-way
        self.template_fault: DeckOutcome | None = None  # a row failed for the template itself: the batch stops
        self.probed = False  # the first deck to build is built here, before any worker starts (a template fault
        # in every deck then stops the batch after one row)
        self._saved = time.monotonic()
        self._save_every = MANIFEST_SAVE_SECONDS

    # ------------------------------------------------------------------ the loop

    def loop(self) -> None:
        plan, req = self.plan, self.plan.request
        names = NameAllocator(req.out_dir)
        names.used = UsedNames()  # the same set, a few dozen bytes a row instead of a string each
        today = plan.options.today
        dupes = DuplicateFinder()  # every row, not only this shard's: shards flag the same rows
        for index, rr in self._read_rows():
            mine = req.shard is None or req.shard.owns(index)
            if rr.error is not None or rr.prospect is None:
                if mine:
                    self._add(unreadable_row(plan.source, rr))
                    if req.fail_fast:
                        self.stopped_early = True
                        break
                continue
            prospect = rr.prospect
            contact_phone = prospect.contact.phone if prospect.contact is not None else ""
            duplicate = dupes.check(
                rr.row, company=prospect.company, website=prospect.website, phone=row_phone(rr.raw, contact_phone)
            )
            fit = score_fit(prospect, plan.profile) if plan.pattern.needs_fit else None
            stem = plan.pattern.stem(prospect, rr.row, today, fit)
            path, clash = names.allocate(stem, fallback=f"row-{rr.row}")
            if not mine:
                continue
            warnings = tuple(str(w) for w in rr.warnings) + ((f"row {rr.row}: {clash}",) if clash else ())
            if duplicate is not None:
                warnings += (duplicate.message(rr.row),)
                self.duplicates += 1
            first = duplicate.first_row if duplicate is not None else None
            digest = row_digest(plan.common, rr.raw, prospect)
            done = None if req.force else self.manifest.current(path.name, digest)
            if done is not None:
                self._add(skipped_row(rr.row, prospect.id, prospect.company, path.name, done, warnings, first))
                continue
            self.inflight[rr.row] = (prospect.id, prospect.company, path.name, digest, warnings, first)
            task = DeckTask(rr.row, prospect, str(path))
            for finished in self._submit(task):
                self._finished(*finished)
            if self.stopped_early:
                break
        if self.pool is not None:
            if self.stopped_early:  # rows queued for a worker but not sent: not started, like rows not read
                for task in self.pool.take_queued():
                    self._finished(task, DeckOutcome(task.row, False, cancelled=True))
            for finished in self.pool.drain():
                self._finished(*finished)

    def _read_rows(self) -> Iterator[tuple[int, object]]:
        """(position, row) of the list; a read deadline ends the rows (kept in :attr:`unread`)."""
        try:
            yield from enumerate(self.plan.source)
        except LoadDeadlineError as exc:
            self.unread = exc

    def _submit(self, task: DeckTask) -> Iterator[tuple[DeckTask, DeckOutcome]]:
        if self.jobs > 1 and self.probed:
            try:
                if self.pool is None:  # started on the first deck to build: a rerun that skips all needs none
                    self.pool = WorkerPool(self.jobs, self.plan.profile, self.plan.options, self.plan.builder)
                yield from self.pool.submit(task)
                yield from self.pool.collect(block=False)
                return
            except WorkersUnavailable as exc:
                todo = [task]  # the pool could not start: this row was never queued
                if self.pool is not None:
                    todo = self.pool.take_queued()  # rows (this one too) that never reached a worker
                    yield from self.pool.drain()
                    self.pool.close()
                    self.pool = None
                self.plan.warnings.append(
                    DeckgenWarning(
                        f"worker processes are not available ({exc}); the decks are built in this process instead"
                    )
                )
                self.jobs = 1
                for queued in todo:
                    yield queued, render_and_write(self.plan.builder, queued)
                return
        self.probed = True
        yield task, render_and_write(self.plan.builder, task)

    def stop(self) -> None:
        """After Ctrl-C: record the decks the workers finish within the grace period."""
        if self.pool is not None:
            for finished in self.pool.stop(STOP_GRACE_SECONDS):
                self._finished(*finished)

    # ------------------------------------------------------------------ results

    def _finished(self, task: DeckTask, outcome: DeckOutcome) -> None:
        pid, company, name, digest, warnings, first = self.inflight.pop(task.row)
        if outcome.cancelled:  # never started: not part of what this run did
            return
        if outcome.error_source == "template":  # the template's own fault: no row is to blame, the batch stops
            self.template_fault = self.template_fault or outcome
            self.stopped_early = True
            return
        if outcome.ok:
            record, report = built_row(task.row, pid, company, name, digest, outcome, warnings, first)
            self.manifest.record(name, record)
            self._add(report)
        else:
            if outcome.error_source == "profile":  # the profile must change (a missing rate): name its file
                outcome = replace(outcome, error=f"{self.plan.request.profile}: {outcome.error}")
            self._add(failed_row(task.row, pid, company, outcome, warnings, first))
            if outcome.fatal and self.fatal is None:
                self.fatal = outcome.error
                self.stopped_early = True
            if self.plan.request.fail_fast:
                self.stopped_early = True

    def _add(self, report: RowReport) -> None:
        self.rows.append(report)
        c = self.counts
        c[report.status] += 1
        if self.on_progress is not None:
            self.on_progress(BatchProgress(len(self.rows), self.total, c["built"], c["skipped-unchanged"], c["failed"]))
        now = time.monotonic()
        if self.manifest.dirty and now - self._saved >= self._save_every:
            self.manifest.save()
            self._saved = time.monotonic()
            # a huge manifest is saved less often: saving never takes more than ~5 % of the run
            self._save_every = max(MANIFEST_SAVE_SECONDS, 20 * (self._saved - now))


@contextmanager
def _sigterm_as_interrupt():
    """While a batch runs, SIGTERM (Kubernetes, Slurm) stops it like Ctrl-C."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
