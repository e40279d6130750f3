"""Writing files atomically.

Every write goes to a temporary file in the destination folder and is renamed into place, so an
error or Ctrl-C never leaves a partial file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from deckgen.errors import OutputError


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temp file in the same folder and a rename.

    An error or Ctrl-C leaves the previous file (if any) untouched and no temp file behind.
    """
    folder = path.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=".deckgen-", suffix=".part", dir=folder)
    except FileNotFoundError:
        raise OutputError("output folder does not exist", file=str(folder)) from None
    except PermissionError:
        raise OutputError("output folder is not writable", file=str(folder)) from None
    except OSError as exc:
        raise OutputError(f"cannot write here: {exc.strerror}", file=str(folder)) from None
    try:
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except OSError as exc:
            raise OutputError(f"cannot write: {exc.strerror}", file=str(path)) from None
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
