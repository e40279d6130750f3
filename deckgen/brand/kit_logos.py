"""A brand kit's logos, checked and re-encoded once per file rather than on every run.

Re-encoding a logo (decode, orient, bound, write a PNG) and knocking out its white version take
tens of milliseconds: most of a one-deck build's brand loading. The result is kept in deckgen's
cache (:mod:`deckgen.cache`) under the file's identity, size and modification time, and under the
code and Pillow version that made it, so a changed file or a new deckgen re-encodes it. A file the
cache has not seen goes through :func:`deckgen.engine.media.load_picture` and all its checks.
"""

from __future__ import annotations

import functools
import hashlib
import os
import stat
from pathlib import Path

from deckgen.cache import DiskCache, file_digest, open_cache
from deckgen.engine.media import Picture, load_picture


def load_logo(path: Path, what: str = "brand logo") -> Picture:
    """The logo at ``path`` re-encoded (see :func:`load_picture`, whose InputErrors it raises)."""
    cache = _logo_cache()
    key = _file_key(path) if cache is not None else None
    if key is not None:
        picture = _picture(cache.get_value(key))
        if picture is not None:
            return picture
    picture = load_picture(path, what=what)
    if key is not None:
        cache.put_value(key, (picture.data, picture.width, picture.height))
    return picture


def dark_logo(logo: Picture) -> Picture | None:
    """:func:`deckgen.brand.palette.dark_logo_variant` of ``logo``, made once per logo."""
    cache = _logo_cache()
    key = b"dark\0" + hashlib.sha256(logo.data).digest()
    if cache is not None:
        found = cache.get_value(key)
        if found == ():
            return None
        picture = _picture(found)
        if picture is not None:
            return picture
    from deckgen.brand.palette import dark_logo_variant  # Pillow work only for kits without a dark logo

    picture = dark_logo_variant(logo)
    if cache is not None:
        cache.put_value(key, () if picture is None else (picture.data, picture.width, picture.height))
    return picture


def _picture(value) -> Picture | None:
    if not (isinstance(value, tuple) and len(value) == 3 and isinstance(value[0], bytes)):
        return None
    data, width, height = value
    if not (isinstance(width, int) and isinstance(height, int) and width > 0 and height > 0):
        return None
    return Picture(data, width, height)


def _file_key(path: Path) -> bytes | None:
    """The file's real path, identity, size and times; None for anything but a regular file."""
    try:
        real = os.path.realpath(path)
        info = os.stat(real)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(info.st_mode):
        return None  # load_picture says what is wrong with it
    fields = (real, info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    return "\0".join(map(str, fields)).encode("utf-8", "surrogateescape")


def _logo_cache() -> DiskCache | None:
    namespace = _logo_namespace()
    return open_cache("logos", namespace) if namespace else None


@functools.cache
def _logo_namespace() -> str:
    import PIL
    from PIL import Image

    here = Path(__file__).resolve().parent
    try:
        code = file_digest(here.parent / "engine" / "media.py", here / "palette.py")
    except OSError:
        return ""
    zlib = getattr(Image.core, "zlib_version", "")  # PNG bytes depend on the zlib that deflates them
    return f"pillow {PIL.__version__}|zlib {zlib}|{code}"


__all__ = ["load_logo", "dark_logo"]
