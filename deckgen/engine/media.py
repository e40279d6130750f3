"""Pictures: loading untrusted images safely, and fitting them into a picture's frame."""

from __future__ import annotations

import errno
import hashlib
import io
import os
import stat
import struct
import warnings
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from deckgen.engine.deadline import loading_deadline
from deckgen.engine.opc import q
from deckgen.errors import InputError

if TYPE_CHECKING:
    from PIL import Image

MAX_IMAGE_FILE_BYTES = 20 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # decoded pixels; a 20,000 × 20,000 PNG is refused
MAX_EDGE = 1600  # logos are re-encoded to at most this many pixels on the long edge
PICTURE_BINDINGS = ("logo", "logo_dark", "prospect_logo")  # picture names (or alt texts) deckgen fills
_FORMATS = {"PNG", "JPEG", "GIF", "BMP", "WEBP", "TIFF"}


@dataclass(frozen=True)
class Picture:
    """A re-encoded PNG image and its pixel size."""

    data: bytes
    width: int
    height: int

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()[:12]


def load_picture(path: Path | str, what: str = "image") -> Picture:
    """Read an image file the user named, check it, and re-encode it as a bounded PNG.

    Raises InputError naming the file for a missing file, a file that isn't an
    image (whatever its extension says), or an image too large to decode safely.
    """
    label = str(path)
    with loading_deadline(label, what):
        fd = _open_regular(Path(path), label, what)
        try:
            info = os.fstat(fd)
            key = (os.path.realpath(path), info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)
            cached = _CACHE.get(key)
            if cached is not None:
                _CACHE.move_to_end(key)
                return cached
            if info.st_size > MAX_IMAGE_FILE_BYTES:
                raise InputError(f"{what} is larger than {MAX_IMAGE_FILE_BYTES // (1024 * 1024)} MiB", file=label)
            data = _read_all(fd, label, what)
        finally:
            os.close(fd)
        picture = picture_from_bytes(data, label=label, what=what)
    _CACHE[key] = picture
    while len(_CACHE) > _CACHE_ENTRIES or sum(len(p.data) for p in _CACHE.values()) > _CACHE_BYTES:
        _CACHE.popitem(last=False)
    return picture


# A logo shared by many rows of a batch is decoded once: keyed by the file's identity, size and mtime.
_CACHE: OrderedDict[tuple, Picture] = OrderedDict()
_CACHE_ENTRIES = 64
_CACHE_BYTES = 64 * 1024 * 1024


def _open_regular(p: Path, label: str, what: str) -> int:
    """A descriptor for ``p`` if it is a regular file; a FIFO, device or folder is refused without blocking."""
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise InputError(f"{what} not found", file=label) from None
    except IsADirectoryError:
        raise InputError(f"{what} is a folder, not an image file", file=label) from None
    except PermissionError:
        raise InputError(f"{what} cannot be read (permission denied)", file=label) from None
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a FIFO with no writer
            raise InputError(f"{what} is a pipe, not an image file", file=label) from None
        raise InputError(f"{what} cannot be read: {exc.strerror or exc}", file=label) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = "a folder" if stat.S_ISDIR(mode) else "a pipe" if stat.S_ISFIFO(mode) else "not a regular file"
        raise InputError(f"{what} is {kind}, not an image file", file=label)
    if hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)
    return fd


def _read_all(fd: int, label: str, what: str) -> bytes:
    chunks, total = [], 0
    try:
        while chunk := os.read(fd, 1024 * 1024):
            total += len(chunk)
            if total > MAX_IMAGE_FILE_BYTES:  # it grew after it was checked
                raise InputError(f"{what} is larger than {MAX_IMAGE_FILE_BYTES // (1024 * 1024)} MiB", file=label)
            chunks.append(chunk)
    except OSError as exc:
        raise InputError(f"{what} cannot be read: {exc.strerror or exc}", file=label) from None
    return b"".join(chunks)


def picture_from_bytes(data: bytes, *, label: str, what: str = "image") -> Picture:
    """Check and re-encode image bytes (see :func:`load_picture`)."""
    from PIL import Image, UnidentifiedImageError  # (Pillow is loaded with the first image a build decodes)

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                if img.format not in _FORMATS:
                    raise InputError(f"{what} is a {img.format} file; use PNG or JPEG", file=label)
                w, h = img.size
                if w * h > MAX_IMAGE_PIXELS or w <= 0 or h <= 0:
                    raise InputError(
                        f"{what} is {w} × {h} pixels; the limit is {MAX_IMAGE_PIXELS:,} pixels "
                        f"(resize it to under {MAX_EDGE} px wide)",
                        file=label,
                    )
                img.seek(0)
                img.load()
                frame = _upright_rgba(img)
    except InputError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InputError(
            f"{what} is too large to decode safely (the limit is {MAX_IMAGE_PIXELS:,} pixels; "
            f"resize it to under {MAX_EDGE} px wide)",
            file=label,
        ) from None
    except UnidentifiedImageError:
        raise InputError(
            f"{what} is not a readable image (not a PNG, JPEG, GIF, BMP, WebP or TIFF file)", file=label
        ) from None
    except (OSError, SyntaxError, ValueError, ZeroDivisionError, struct.error, EOFError) as exc:
        detail = "its frame has no size" if isinstance(exc, ZeroDivisionError) else exc or type(exc).__name__
        raise InputError(f"{what} is not a readable image ({detail})", file=label) from None
    if max(frame.size) > MAX_EDGE:
        scale = MAX_EDGE / max(frame.size)
        frame = frame.resize(
            (max(1, round(frame.width * scale)), max(1, round(frame.height * scale))), Image.Resampling.LANCZOS
        )
    if frame.getextrema()[3][0] == 255:
        frame = frame.convert("RGB")
    out = io.BytesIO()
    frame.save(out, format="PNG", optimize=False, compress_level=6)
    return Picture(out.getvalue(), frame.width, frame.height)


def _upright_rgba(img: Image.Image) -> Image.Image:
    """The image turned the way its EXIF orientation says, as RGBA; 16- and 32-bit greyscale scaled to 8 bits."""
    from PIL import ImageOps

    try:
        img = ImageOps.exif_transpose(img)
    except (OSError, ValueError, KeyError, TypeError, ZeroDivisionError):
        pass  # a damaged EXIF block: the pixels as stored
    if img.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I"):
        high = 65535 if img.mode.startswith("I;16") or img.getextrema()[1] > 255 else 255
        img = img.convert("I").point(lambda v: v * (255 / high)).convert("L")
    elif img.mode == "F":
        img = img.convert("L")
    return img.convert("RGBA")


def fit_frame(x: int, y: int, cx: int, cy: int, width: int, height: int) -> tuple[int, int, int, int]:
    """Return the largest frame with the image's aspect ratio inside (x, y, cx, cy), centred."""
    if width <= 0 or height <= 0 or cx <= 0 or cy <= 0:
        return x, y, cx, cy
    scale = min(cx / width, cy / height)
    new_cx, new_cy = round(width * scale), round(height * scale)
    return x + (cx - new_cx) // 2, y + (cy - new_cy) // 2, new_cx, new_cy


def binding_name(pic) -> str:
    """The binding a picture's name or alt text asks for (``logo``, ``logo_dark``, ``prospect_logo``), or ''."""
    c_nv = pic.find(f"{q('p:nvPicPr')}/{q('p:cNvPr')}")
    if c_nv is None:
        return ""
    for value in (c_nv.get("name", ""), c_nv.get("descr", "")):
        if value.strip() in PICTURE_BINDINGS:
            return value.strip()
    return ""


def fit_picture(pic, width: int, height: int) -> None:
    """Fit a ``p:pic``'s frame to an image of ``width`` × ``height`` pixels (and drop its crop)."""
    reset_crop(pic)
    xfrm = pic.find(f"{q('p:spPr')}/{q('a:xfrm')}")
    if xfrm is None:
        return
    off, ext = xfrm.find(q("a:off")), xfrm.find(q("a:ext"))
    if off is None or ext is None:
        return
    x, y, cx, cy = fit_frame(
        int(off.get("x")), int(off.get("y")), int(ext.get("cx")), int(ext.get("cy")), width, height
    )
    off.set("x", str(x)), off.set("y", str(y)), ext.set("cx", str(cx)), ext.set("cy", str(cy))


def reset_crop(pic) -> None:
    """Drop a picture's crop (``a:srcRect``) and make it fill its frame (``a:stretch``/``a:fillRect``)."""
    for src_rect in list(pic.iter(q("a:srcRect"))):
        src_rect.getparent().remove(src_rect)
    fill = pic.find(q("p:blipFill"))
    if fill is not None and fill.find(q("a:stretch")) is None and fill.find(q("a:tile")) is None:
        fill.append(fill.makeelement(q("a:stretch"), {}))
    stretch = fill.find(q("a:stretch")) if fill is not None else None
    if stretch is not None and stretch.find(q("a:fillRect")) is None:
        stretch.append(stretch.makeelement(q("a:fillRect"), {}))
