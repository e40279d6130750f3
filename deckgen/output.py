"""Writing files atomically.

Every write goes to a temporary file in the destination folder and is renamed into place, so an
error or Ctrl-C never leaves a partial file. A new file gets the permissions the umask allows (as
``open()`` would give it); a file that is replaced keeps its own mode.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path

from deckgen.errors import DeckgenError, OutputError

PART_PREFIX, PART_SUFFIX = ".deckgen-", ".part"
# os.replace failures that concern the one file being replaced, not the folder or the disk
_TARGET_ERRNOS = {errno.EISDIR, errno.EPERM, errno.EACCES, errno.EBUSY, errno.ETXTBSY, errno.ENOTEMPTY, errno.EEXIST}


_SYNC_EACH_FILE = [True]  # a batch turns this off and syncs before its manifest records the decks


@contextmanager
def deferred_sync():
    """Within: :func:`atomic_write` does not fsync each file; call :func:`sync_written` before recording them.

    A batch writes many decks and records them in its manifest every few seconds: one sync before each
    manifest save keeps a crash from leaving the manifest ahead of the disk, without blocking every write.
    """
    previous = _SYNC_EACH_FILE[0]
    _SYNC_EACH_FILE[0] = False
    try:
        yield
    finally:
        _SYNC_EACH_FILE[0] = previous


def defer_sync_in_this_process() -> None:
    """:func:`deferred_sync` for the rest of a worker process's life."""
    _SYNC_EACH_FILE[0] = False


def sync_written() -> None:
    """Flush every file written so far to the disk (when per-file syncing is off; else nothing to do)."""
    if not _SYNC_EACH_FILE[0] and hasattr(os, "sync"):
        os.sync()


class TargetError(DeckgenError):
    """This one output file can't be replaced (a folder, a link, read-only, in use); other files still can.

    Not an :class:`OutputError` on purpose: a batch fails the row and goes on, where an OutputError
    (disk full, folder read-only) stops it.
    """


def umask() -> int:
    """The process's umask (read without changing it where /proc says it)."""
    try:
        with open("/proc/self/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def check_target(path: Path) -> os.stat_result | None:
    """Refuse a target that is a link, a folder or anything but a writable file; its stat when it exists."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise TargetError(f"cannot write '{path.name}': {exc.strerror}", file=str(path)) from None
    if stat.S_ISLNK(st.st_mode):
        raise TargetError(
            f"'{path.name}' is a symbolic link; deckgen doesn't replace links, remove it or choose another name",
            file=str(path),
        )
    if stat.S_ISDIR(st.st_mode):
        raise TargetError(f"'{path.name}' is a folder; remove it or choose another name", file=str(path))
    if not stat.S_ISREG(st.st_mode):
        raise TargetError("is not a regular file (a pipe or device); remove it or choose another name", file=str(path))
    if not st.st_mode & 0o222:
        raise TargetError(f"'{path.name}' is read-only; make it writable (or delete it) to replace it", file=str(path))
    return st


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temp file in the same folder and a rename.

    An error or Ctrl-C leaves the previous file (if any) untouched and no temp file behind. A target
    that can't be replaced raises :class:`TargetError`; a folder or disk that can't take the file,
    :class:`OutputError`.
    """
    with atomic_writer(path) as fh:
        fh.write(data)


@contextmanager
def atomic_writer(path: Path):
    """:func:`atomic_write` for a file written piece by piece: yields a binary file, renamed into place at the end.

    A big report or manifest streams through it and is never held whole in memory.
    """
    path = Path(path)
    folder = path.parent
    existing = check_target(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=PART_PREFIX, suffix=PART_SUFFIX, dir=folder)
    except FileNotFoundError:
        raise OutputError("output folder does not exist", file=str(folder)) from None
    except PermissionError:
        raise OutputError("output folder is not writable", file=str(folder)) from None
    except OSError as exc:
        raise OutputError(f"cannot write here: {exc.strerror}", file=str(folder)) from None
    try:
        try:
            with os.fdopen(fd, "wb") as fh:
                try:
                    yield fh
                except OSError as exc:
                    raise OutputError(f"cannot write: {exc.strerror}", file=str(path)) from None
                fh.flush()
                if _SYNC_EACH_FILE[0]:
                    os.fsync(fh.fileno())
            mode = stat.S_IMODE(existing.st_mode) if existing is not None else 0o666 & ~umask()
            os.chmod(tmp, mode)
        except OSError as exc:
            raise OutputError(f"cannot write: {exc.strerror}", file=str(path)) from None
        try:
            os.replace(tmp, path)
        except OSError as exc:
            if exc.errno in _TARGET_ERRNOS:
                raise TargetError(
                    f"'{path.name}' cannot be replaced ({exc.strerror}); close it if it is open in PowerPoint, "
                    "or make it writable, then run again",
                    file=str(path),
                ) from None
            raise OutputError(f"cannot write: {exc.strerror}", file=str(path)) from None
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file, hex, read in 1 MiB chunks (decks, manifests, decision files)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
