"""A small on-disk cache for start-up work that comes out the same in every run.

``deckgen build`` of one deck used to spend most of its time redoing what the previous run did:
turning template tags into Python code (Jinja), re-encoding the brand's logos, measuring how light
they are, asking fontconfig where a font is. Those results are kept here between runs.

Where: ``$DECKGEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/deckgen``, else ``~/.cache/deckgen``.
``DECKGEN_CACHE=off`` (or ``0``/``no``/``false``) turns it off; the test suite does that, and a test
that wants the cache points ``DECKGEN_CACHE_DIR`` at a temporary folder and sets ``DECKGEN_CACHE=on``.

What makes an entry trusted, since one holds Python code deckgen runs:

- the folders are made private (0700) and an entry is read only when it, its folder and the cache
  root belong to this user, are not links, and no one else may write them;
- an entry holds the full key it was made for (versions, deckgen's code generator, the template
  text) and a SHA-256 of key and payload: a corrupt, truncated or foreign entry is ignored and
  rebuilt, never trusted;
- payloads are ``marshal`` data (plain values and code objects), never pickles.

Every failure to read or write the cache is silent: the work is simply done again.
Whole compiled templates are kept by :mod:`deckgen.cache_templates`, on top of this module.
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import os
import stat
import sys
import tempfile
import types
from pathlib import Path

from deckgen import __version__

CACHE_DIR_ENV = "DECKGEN_CACHE_DIR"
CACHE_SWITCH_ENV = "DECKGEN_CACHE"
_OFF = {"0", "off", "no", "false"}
_MAGIC = b"deckgen-cache 1\n"
_MAX_ENTRY_BYTES = 16 * 1024 * 1024


def cache_root() -> Path | None:
    """The cache folder for this user, or None when the cache is turned off (not created here)."""
    if os.environ.get(CACHE_SWITCH_ENV, "").strip().lower() in _OFF:
        return None
    explicit = os.environ.get(CACHE_DIR_ENV)
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and Path(xdg).is_absolute():
        return Path(xdg) / "deckgen"
    try:
        return Path.home() / ".cache" / "deckgen"
    except RuntimeError:  # no home folder
        return None


class DiskCache:
    """One kind of entry (``jinja``, ``logos``, ``fonts``) under the cache root.

    ``namespace`` is mixed into every key: what, besides the key, the payload depends on (versions,
    the code that produced it). :meth:`get` returns the payload stored for ``key``, or None.
    """

    def __init__(self, folder: Path, namespace: str) -> None:
        self.folder = folder
        self.namespace = namespace.encode("utf-8")

    def _material(self, key: bytes) -> bytes:
        return len(self.namespace).to_bytes(4, "big") + self.namespace + key

    def _path(self, material: bytes) -> Path:
        return self.folder / (hashlib.sha256(material).hexdigest()[:40] + ".bin")

    def get(self, key: bytes) -> bytes | None:
        """The payload stored for ``key``, or None (missing, unsafe, corrupt or made for another key)."""
        material = self._material(key)
        try:
            if not _private_folder(self.folder, create=False):
                return None
            raw = _read_private(self._path(material))
        except OSError:
            return None
        if raw is None or not raw.startswith(_MAGIC):
            return None
        body = raw[len(_MAGIC) :]
        digest, rest = body[:32], body[32:]
        if len(rest) < 4 or hashlib.sha256(rest).digest() != digest:
            return None
        size = int.from_bytes(rest[:4], "big")
        if rest[4 : 4 + size] != material:
            return None  # a different key landed on the same file name
        return rest[4 + size :]

    def put(self, key: bytes, payload: bytes) -> None:
        """Store ``payload`` for ``key`` (atomically; silently skipped when the folder is unusable)."""
        material = self._material(key)
        rest = len(material).to_bytes(4, "big") + material + payload
        data = _MAGIC + hashlib.sha256(rest).digest() + rest
        if len(data) > _MAX_ENTRY_BYTES:
            return
        try:
            if not _private_folder(self.folder, create=True):
                return
            _prune_once(self.folder)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".part-")  # mode 0600
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(data)
                os.replace(tmp, self._path(material))
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        except OSError:
            return

    def get_value(self, key: bytes):
        """:meth:`get`'s payload decoded with ``marshal``, or None."""
        payload = self.get(key)
        if payload is None:
            return None
        try:
            return marshal.loads(payload)
        except (EOFError, ValueError, TypeError):
            return None

    def put_value(self, key: bytes, value) -> None:
        """Store ``value`` (plain values and code objects) with ``marshal``."""
        try:
            payload = marshal.dumps(value)
        except ValueError:  # something marshal can't write: not cached
            return
        self.put(key, payload)


def open_cache(kind: str, namespace: str) -> DiskCache | None:
    """The cache for ``kind`` entries, or None when the cache is off.

    The namespace is prefixed with deckgen's version and the Python implementation, so entries never
    cross versions.
    """
    root = cache_root()
    if root is None:
        return None
    return DiskCache(root / kind, f"{__version__}|{sys.implementation.cache_tag}|{sys.version}|{namespace}")


class JinjaCodeCache:
    """The engine's :class:`~deckgen.engine.templating.JinjaCache` on disk: each part's tag code, once per text."""

    def __init__(self, disk: DiskCache) -> None:
        self.disk = disk

    def load(self, key: str) -> tuple | None:
        value = self.disk.get_value(key.encode("utf-8", "surrogatepass"))
        if not (isinstance(value, tuple) and len(value) in (3, 4) and isinstance(value[0], types.CodeType)):
            return None
        if not all(isinstance(names, tuple) and all(isinstance(n, str) for n in names) for names in value[1:3]):
            return None
        if len(value) == 4 and not _part_reads(value[3]):
            return None
        return value

    def store(self, key: str, value: tuple) -> None:
        self.disk.put_value(key.encode("utf-8", "surrogatepass"), value)


def _part_reads(roots) -> bool:
    """True for what :attr:`deckgen.engine.reuse.PartReads.roots` holds: ((name, frozenset of keys | None), …)."""
    if not isinstance(roots, tuple):
        return False
    for item in roots:
        if not (isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str)):
            return False
        keys = item[1]
        if keys is not None and not (type(keys) is frozenset and all(isinstance(k, str) for k in keys)):
            return False
    return True


def jinja_code_cache() -> JinjaCodeCache | None:
    """The compiled-tag cache, or None when the cache is off.

    Entries depend on Jinja's version and on deckgen's own code generator, variable checks and
    reads analysis (the engine files that make them), so editing either starts afresh.
    """
    namespace = _jinja_namespace()
    disk = open_cache("jinja", namespace) if namespace else None
    return JinjaCodeCache(disk) if disk is not None else None


@functools.cache
def _jinja_namespace() -> str:
    import jinja2

    engine = Path(__file__).resolve().parent / "engine"
    makers = ("sandbox.py", "templating.py", "variables.py", "filters.py", "reuse.py")
    try:
        code = file_digest(*(engine / n for n in makers))
    except OSError:
        return ""
    return f"jinja2 {jinja2.__version__}|{code}"


class LuminanceDiskCache:
    """The engine's :class:`~deckgen.engine.graphics.LuminanceCache` on disk: a picture's measured luminance."""

    def __init__(self, disk: DiskCache) -> None:
        self.disk = disk

    def load(self, digest: str) -> tuple[float | None] | None:
        value = self.disk.get_value(digest.encode("ascii", "replace"))
        if not (isinstance(value, tuple) and len(value) == 1):
            return None
        found = value[0]
        if found is None or (type(found) is float and 0.0 <= found <= 1.0):
            return value
        return None

    def store(self, digest: str, value: tuple[float | None]) -> None:
        self.disk.put_value(digest.encode("ascii", "replace"), value)


def luminance_cache() -> LuminanceDiskCache | None:
    """The measured-luminance cache, or None when the cache is off.

    Entries depend on the engine's measuring code and on Pillow, which decodes and scales the picture.
    """
    namespace = _luminance_namespace()
    disk = open_cache("luminance", namespace) if namespace else None
    return LuminanceDiskCache(disk) if disk is not None else None


@functools.cache
def _luminance_namespace() -> str:
    import PIL

    try:
        code = file_digest(Path(__file__).resolve().parent / "engine" / "colours.py")
    except OSError:
        return ""
    return f"pillow {PIL.__version__}|{code}"


def file_digest(*paths: Path) -> str:
    """A SHA-256 over the bytes of ``paths`` (for a namespace that follows the code that makes entries)."""
    h = hashlib.sha256()
    for path in paths:
        h.update(Path(path).read_bytes())
        h.update(b"\0")
    return h.hexdigest()


_MAX_ENTRIES = 4096  # per kind; past it the least recently written quarter goes
_PRUNED: set[Path] = set()


def _prune_once(folder: Path) -> None:
    """Keep ``folder`` under :data:`_MAX_ENTRIES` entries (checked once per process, on its first write)."""
    if folder in _PRUNED:
        return
    _PRUNED.add(folder)
    entries = []
    with os.scandir(folder) as found:
        for entry in found:
            if entry.is_file(follow_symlinks=False) and entry.name.endswith(".bin"):
                entries.append((entry.stat(follow_symlinks=False).st_mtime_ns, entry.path))
    if len(entries) <= _MAX_ENTRIES:
        return
    entries.sort()
    for _, path in entries[: len(entries) - _MAX_ENTRIES * 3 // 4]:
        try:
            os.unlink(path)
        except OSError:
            pass


def _owned_and_private(info: os.stat_result) -> bool:
    if stat.S_IMODE(info.st_mode) & 0o022:
        return False
    getuid = getattr(os, "getuid", None)
    return getuid is None or info.st_uid == getuid()


def _private_folder(folder: Path, create: bool) -> bool:
    """True when ``folder`` and its parent (the cache root) are this user's own, unlinked, private folders."""
    for path in (folder.parent, folder):
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            if not create:
                return False
            os.makedirs(path, mode=0o700, exist_ok=True)
            info = os.lstat(path)
        if not stat.S_ISDIR(info.st_mode) or not _owned_and_private(info):
            return False
    return True


def _read_private(path: Path) -> bytes | None:
    """The bytes of ``path`` if it is this user's own regular file that no one else may write."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or not _owned_and_private(info) or info.st_size > _MAX_ENTRY_BYTES:
            return None
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


__all__ = [
    "CACHE_DIR_ENV",
    "CACHE_SWITCH_ENV",
    "DiskCache",
    "JinjaCodeCache",
    "LuminanceDiskCache",
    "cache_root",
    "file_digest",
    "jinja_code_cache",
    "luminance_cache",
    "open_cache",
]
