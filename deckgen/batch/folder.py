"""The output folder of a batch: one batch at a time, and no leftovers of a run that was killed.

- :func:`batch_lock` takes an exclusive lock on ``.deckgen-lock`` (``.deckgen-lock-K-of-N`` for a shard)
  for as long as the batch runs: a second batch into the same folder (same shard) stops at once with an
  error instead of racing the first for the manifest and the report. The lock is the operating
  system's (``flock``), so a batch that is killed releases it; no stale lock file can block a rerun.
- :func:`remove_stale_parts` deletes the ``.deckgen-*.part`` temp files a killed run left behind.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from deckgen.batch.shard import Shard
from deckgen.errors import OutputError
from deckgen.output import PART_PREFIX, PART_SUFFIX

LOCK_NAME = ".deckgen-lock"
STALE_PART_SECONDS = 120.0  # no deck or manifest takes this long between its temp file and its rename

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows: no lock
    fcntl = None  # type: ignore[assignment]


@contextmanager
def batch_lock(out_dir: Path, shard: Shard | None = None) -> Iterator[None]:
    """Hold the folder's batch lock while the block runs; OutputError when another batch holds it."""
    if fcntl is None:  # pragma: no cover
        yield
        return
    path = out_dir / (LOCK_NAME + (shard.suffix if shard is not None else ""))
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o666)
    except OSError as exc:
        raise OutputError(f"cannot create the batch lock ({exc.strerror})", file=str(path)) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            raise OutputError(
                "another deckgen batch is writing into this folder"
                + (f" (process {holder})" if holder.isdigit() else "")
                + "; wait for it to finish, or choose another --out-dir",
                file=str(out_dir),
            ) from None
        except OSError:
            pass  # a file system without locks (some network shares): run unlocked, as before
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def remove_stale_parts(out_dir: Path, older_than: float = STALE_PART_SECONDS) -> int:
    """Delete ``.deckgen-*.part`` files in ``out_dir`` not touched for ``older_than`` seconds; how many."""
    removed = 0
    now = time.time()
    try:
        entries = list(os.scandir(out_dir))
    except OSError:
        return 0
    for entry in entries:
        if not (entry.name.startswith(PART_PREFIX) and entry.name.endswith(PART_SUFFIX)):
            continue
        try:
            if entry.is_file(follow_symlinks=False) and now - entry.stat(follow_symlinks=False).st_mtime > older_than:
                os.unlink(entry.path)
                removed += 1
        except OSError:
            continue
    return removed
