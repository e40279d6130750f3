"""The terminal's view of a running batch: a ``\\r`` line on a terminal, a log line now and then elsewhere."""

from __future__ import annotations

import sys
import time
from collections import deque
from collections.abc import Callable
from typing import TextIO

from deckgen.batch.run import BatchProgress

__all__ = ["Progress", "stream_is_tty"]

RATE_SAMPLES = 50  # progress updates the shown rate is averaged over


class Progress:
    """Shows how a batch advances; call it with each :class:`~deckgen.batch.run.BatchProgress`."""

    def __init__(
        self,
        stream: TextIO,
        *,
        tty: bool,
        total: int | None = None,
        every_rows: int = 500,
        every_seconds: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.tty = tty
        self.total = total
        self.every_rows = every_rows
        self.every_seconds = every_seconds if not tty else 0.1
        self.clock = clock
        self.started = clock()
        self._last_time = self.started
        self._last_done = 0
        self._width = 0
        # (time, rows done, decks built) at recent updates: rate and ETA follow the current pace,
        # not the average since the workers started
        self._recent: deque[tuple[float, int, int]] = deque([(self.started, 0, 0)], maxlen=RATE_SAMPLES)

    def __call__(self, progress: BatchProgress) -> None:
        """The batch's progress callback."""
        if progress.total is not None:
            self.total = progress.total
        self.update(progress.done, progress.built, progress.skipped, progress.failed)

    def update(self, done: int, built: int, skipped: int, failed: int) -> None:
        """Note the counts so far; draws or logs a line only when one is due."""
        now = self.clock()
        due = now - self._last_time >= self.every_seconds or (
            not self.tty and done - self._last_done >= self.every_rows
        )
        if not due or (not self.tty and done == self._last_done):
            return
        self._last_time, self._last_done = now, done
        then, done_then, built_then = self._recent[0]
        self._recent.append((now, done, built))
        span = max(now - then, 1e-6)
        rate = (built - built_then) / span
        count = f"{done}/{self.total}" if self.total is not None else f"{done}"
        line = f"{count} rows  built {built}  skipped {skipped}  failed {failed}  {rate:.1f} decks/s"
        if self.total and done > done_then:
            remaining = max(self.total - done, 0) * span / (done - done_then)
            line += f"  ETA {_clock(remaining)}"
        if self.tty:
            pad = max(self._width - len(line), 0)
            self._width = len(line)
            self.stream.write("\r" + line + " " * pad)
        else:
            self.stream.write("batch: " + line + "\n")
        self.stream.flush()

    def close(self) -> None:
        """Blank out the terminal line, so the summary starts on a clean line."""
        if self.tty and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def stream_is_tty(stream: TextIO | None = None) -> bool:
    """Whether progress should redraw one line (a terminal) or log now and then."""
    stream = stream or sys.stderr
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
