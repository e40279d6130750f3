"""Writing files atomically, and the names the package layer had here before :mod:`deckgen.engine.opc`.

Every write goes to a temporary file in the destination folder and is renamed into place, so an
error or Ctrl-C never leaves a partial file. The package names below are kept for callers that
still import them from here (batch, export, authoring, brand tools); new code imports
:mod:`deckgen.engine.opc` and :mod:`deckgen.engine.safety`.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from deckgen.engine.opc import (
    Member,
    Package,
    deflate,
    new_member,
    open_package,
    read_package,
    stored_member,
    zip_bytes,
)
from deckgen.engine.safety import (
    MAX_DIRECTORY_BYTES,
    MAX_MEMBER_BYTES,
    MAX_MEMBERS,
    MAX_PACKAGE_BYTES,
    MAX_RATIO,
    MAX_TOTAL_BYTES,
)
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


__all__ = [
    "Member",
    "Package",
    "deflate",
    "new_member",
    "open_package",
    "read_package",
    "stored_member",
    "zip_bytes",
    "atomic_write",
    "MAX_DIRECTORY_BYTES",
    "MAX_MEMBER_BYTES",
    "MAX_MEMBERS",
    "MAX_PACKAGE_BYTES",
    "MAX_RATIO",
    "MAX_TOTAL_BYTES",
]
