"""A wall-clock deadline for a step that reads untrusted input (a logo, a prospect list's header).

It uses ``SIGALRM``, so it applies only in a process's main thread (as in ``deckgen build`` and in
batch workers); elsewhere the step runs without one. An outer deadline that is already running is
restored afterwards with the time it had left, so deadlines nest.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from deckgen.errors import DeckgenError, InputError

LOAD_SECONDS = 30


@contextmanager
def deadline(seconds: float, error: Callable[[], DeckgenError]) -> Iterator[None]:
    """Raise ``error()`` if the body runs longer than ``seconds`` (main thread only)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    outer_left, _ = signal.getitimer(signal.ITIMER_REAL)
    started = time.monotonic()

    def expired(signum, frame):
        if outer_left and outer_left < seconds and callable(previous):
            previous(signum, frame)  # the outer deadline ran out first: its error, not ours
        raise error()

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds if not outer_left else min(seconds, outer_left))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left:
            # the outer deadline goes on with what it had left (at least a moment, so it still fires)
            signal.setitimer(signal.ITIMER_REAL, max(0.001, outer_left - (time.monotonic() - started)))


def loading_deadline(label: str, what: str, seconds: float = LOAD_SECONDS):
    """The deadline for reading one input file: an InputError naming it when the time is up."""
    return deadline(
        seconds,
        lambda: InputError(
            f"reading the {what} took longer than {seconds:g} s (a stalled network drive or a pipe?)", file=label
        ),
    )
