"""The output folder of a batch: one batch at a time, and no leftovers of a run that was killed.

- :func:`batch_lock` takes an exclusive lock on ``.deckgen-lock`` (``.deckgen-lock-K-of-N`` for a shard)
  for as long as the batch runs: a second batch into the same folder (same shard) stops at once with an
  error instead of racing the first for the manifest and the report. The lock is the operating
  system's (``flock``), so a batch that is killed releases it; no stale lock file can block a rerun.
  On a file system without ``flock`` (some network shares), ``.deckgen-lock.owner`` is created
  exclusively instead, naming the host and process; one left by a killed batch on the same host is
  taken over, and any other says whose it is and how to clear it.
- :func:`remove_stale_parts` deletes the ``.deckgen-*.part`` temp files a killed run left behind.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from deckgen.batch.shard import Shard
from deckgen.errors import OutputError
from deckgen.output import PART_PREFIX, PART_SUFFIX

LOCK_NAME = ".deckgen-lock"
OWNER_SUFFIX = ".owner"  # where flock fails: a file created exclusively, naming the host and process
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
    owner: Path | None = None
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
        except OSError:  # a file system without locks (some network shares): an owner file instead
            owner = Path(str(path) + OWNER_SUFFIX)
            _take_owner_file(owner, out_dir)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        yield
    finally:
        os.close(fd)  # releases the lock
        if owner is not None:
            _drop_owner_file(owner)


def _owner_text() -> str:
    return f"{socket.gethostname()} {os.getpid()}"


def _take_owner_file(owner: Path, out_dir: Path) -> None:
    """Create ``owner`` exclusively (naming this host and process); one left by a dead process on this host is
    taken over, one held by a live process or another host is an OutputError saying how to clear it."""
    for _ in range(2):
        try:
            fd = os.open(owner, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
        except FileExistsError:
            host, pid = _read_owner(owner)
            if host == socket.gethostname() and pid is not None and not _alive(pid):
                try:
                    os.unlink(owner)  # left by a batch that was killed: take over
                except FileNotFoundError:
                    pass
                continue
            who = f" (process {pid} on {host})" if pid is not None else ""
            raise OutputError(
                f"another deckgen batch is writing into this folder{who}; wait for it to finish or choose another "
                f"--out-dir (this folder cannot be locked, so if no batch is running, delete {owner.name})",
                file=str(out_dir),
            ) from None
        except OSError:
            return  # the owner file cannot be made either: run unlocked, as before
        try:
            os.write(fd, _owner_text().encode("utf-8"))
        finally:
            os.close(fd)
        return


def _read_owner(owner: Path) -> tuple[str, int | None]:
    try:
        with open(owner, "rb") as fh:
            text = fh.read(300).decode("utf-8", "replace").split()
    except OSError:
        return "", None
    if len(text) == 2 and text[1].isdigit() and len(text[1]) < 10:
        return text[0], int(text[1])
    return "", None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists but belongs to someone else
    return True


def _drop_owner_file(owner: Path) -> None:
    try:
        with open(owner, "rb") as fh:
            mine = fh.read(300).decode("utf-8", "replace").strip() == _owner_text()
        if mine:
            os.unlink(owner)
    except OSError:
        pass


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
