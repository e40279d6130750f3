"""How long one read of a prospect list may take, as rendering a deck may take 30 s.

Opening a list (its header, the CRM it came from) is one read and has :data:`LIST_SECONDS`
(or ``$DECKGEN_LIST_SECONDS``). Every pass over its rows is another, and has that much plus
:data:`ROW_SECONDS` for each row it has read, so a list of a million rows is not stopped for being
long while one row that never arrives, or a file that reads slower and slower, is. A pass counts
only the time spent reading and checking rows, not what the caller does between them (building
decks).

Two things stop a read that is over its time:

- the time spent is added up after every row (with a clock that tests replace), so slow rows
  stop the read at the first row past the bound;
- a row that never arrives (a file on a stalled network drive, a row that parses for minutes) is
  interrupted by a ``SIGALRM`` timer set to the time left. That works in a process's main thread
  only, and not when an outer timer is already running (its deadline still holds); elsewhere the
  added-up time is the only bound.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from deckgen.errors import InputError, LoadDeadlineError

__all__ = ["LIST_SECONDS", "LIST_SECONDS_ENV", "ROW_SECONDS", "ReadDeadline", "list_seconds"]

LIST_SECONDS = 60.0
ROW_SECONDS = 0.002  # a row of a CRM export takes about 0.25 ms to read and check on a busy 2-core machine
LIST_SECONDS_ENV = "DECKGEN_LIST_SECONDS"

T = TypeVar("T")


def list_seconds() -> float:
    """The bound for one read: ``$DECKGEN_LIST_SECONDS`` if set, else :data:`LIST_SECONDS`."""
    raw = os.environ.get(LIST_SECONDS_ENV, "").strip()
    if not raw:
        return LIST_SECONDS
    try:
        seconds = float(raw)
    except ValueError:
        seconds = float("nan")
    if not (0 < seconds <= 86_400):  # NaN fails too
        raise InputError(f"{LIST_SECONDS_ENV} must be a number of seconds above 0 (at most 86400), not '{raw}'")
    return seconds


class ReadDeadline:
    """The time one read of ``label`` has: use :meth:`opening` once, or :meth:`rows` for one pass over rows."""

    def __init__(
        self,
        label: str,
        seconds: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        what: str = "prospect list",
    ) -> None:
        self.label = label
        self.seconds = list_seconds() if seconds is None else seconds
        self.clock = clock
        self.what = what
        self.spent = 0.0
        self.last_row: int | None = None  # the last row read whole

    def rows(self, items: Iterator[T], row_of: Callable[[T], int]) -> Iterator[T]:
        """``items`` as they come, each one timed; LoadDeadlineError once the pass is over its time."""
        alarm = _Alarm.take()
        read = 0
        try:
            while True:
                allowed = self.seconds + ROW_SECONDS * read
                left = allowed - self.spent
                if left <= 0:
                    raise self.error()
                started = self.clock()
                alarm.arm(self, left)
                try:
                    item = next(items, _END)
                finally:
                    alarm.disarm()
                self.spent += self.clock() - started
                if item is _END:
                    return
                if self.spent > allowed:
                    raise self.error()
                read += 1
                self.last_row = row_of(item)  # type: ignore[arg-type]
                yield item  # type: ignore[misc]  # the caller's time between rows is not counted
        finally:
            alarm.give_back()
            close = getattr(items, "close", None)
            if close is not None:
                close()  # a generator over an open file closes it

    @contextmanager
    def opening(self) -> Iterator[None]:
        """Time opening the list (reading its header and deciding its columns)."""
        alarm = _Alarm.take()
        started = self.clock()
        alarm.arm(self, self.seconds)
        try:
            yield
        finally:
            alarm.disarm()
            alarm.give_back()
        self.spent += self.clock() - started
        if self.spent > self.seconds:
            raise self.error()

    def error(self) -> LoadDeadlineError:
        """The error for this read being over its time, naming the file and the last row read."""
        advice = "copy the file to this computer" + (
            f" or split it, or allow more time with {LIST_SECONDS_ENV}=SECONDS" if self.what == "prospect list" else ""
        )
        advice += " (is it on a stalled network drive?)"
        if self.last_row is None:
            message = f"reading the {self.what} took longer than {self.seconds:g} s; {advice}"
            return LoadDeadlineError(message, file=self.label)
        message = (
            f"reading the {self.what} took longer than allowed ({self.seconds:g} s, plus {ROW_SECONDS * 1000:g} ms "
            f"a row) and stopped after this row; {advice}"
        )
        return LoadDeadlineError(message, file=self.label, row=self.last_row)


_END = object()


class _Alarm:
    """A ``SIGALRM`` timer for the read step that is running; its handler is installed once per pass
    (``signal.signal`` costs microseconds a call; arming the timer costs far less)."""

    current: ReadDeadline | None = None  # the read whose step is running

    def __init__(self, usable: bool) -> None:
        self.usable = usable
        self.previous = None

    @classmethod
    def take(cls) -> _Alarm:
        usable = (
            threading.current_thread() is threading.main_thread()
            and hasattr(signal, "setitimer")
            and signal.getitimer(signal.ITIMER_REAL)[0] == 0  # an outer deadline runs: leave its timer alone
        )
        alarm = cls(usable)
        if usable:
            alarm.previous = signal.signal(signal.SIGALRM, _expired)
        return alarm

    def arm(self, read: ReadDeadline, seconds: float) -> None:
        if self.usable:
            _Alarm.current = read
            signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001))

    def disarm(self) -> None:
        if self.usable:
            signal.setitimer(signal.ITIMER_REAL, 0)
            _Alarm.current = None

    def give_back(self) -> None:
        if self.usable and signal.getsignal(signal.SIGALRM) is _expired and self.previous is not _expired:
            signal.signal(signal.SIGALRM, self.previous)
        self.usable = False


def _expired(signum, frame) -> None:
    read = _Alarm.current
    if read is not None:  # a timer of ours that fired between steps is ignored
        _Alarm.current = None
        raise read.error()
