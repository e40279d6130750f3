"""Pictures: loading untrusted images safely, and fitting them into a picture's frame."""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from deckgen.engine.opc import q
from deckgen.errors import InputError

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
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError:
        raise InputError(f"{what} not found", file=str(path)) from None
    if size > MAX_IMAGE_FILE_BYTES:
        raise InputError(f"{what} is larger than {MAX_IMAGE_FILE_BYTES // (1024 * 1024)} MiB", file=str(path))
    return picture_from_bytes(p.read_bytes(), label=str(path), what=what)


def picture_from_bytes(data: bytes, *, label: str, what: str = "image") -> Picture:
    """Check and re-encode image bytes (see :func:`load_picture`)."""
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
                frame = img.convert("RGBA")
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
    except (OSError, SyntaxError, ValueError) as exc:
        raise InputError(f"{what} is not a readable image ({exc})", file=label) from None
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
    xfrm = pic.find(f"{q('p:spPr')}/{q('a:xfrm')}")
    if xfrm is None:
        return
    off, ext = xfrm.find(q("a:off")), xfrm.find(q("a:ext"))
    x, y, cx, cy = fit_frame(
        int(off.get("x")), int(off.get("y")), int(ext.get("cx")), int(ext.get("cy")), width, height
    )
    off.set("x", str(x)), off.set("y", str(y)), ext.set("cx", str(cx)), ext.set("cy", str(cy))
    src_rect = pic.find(f".//{q('a:srcRect')}")
    if src_rect is not None:
        src_rect.getparent().remove(src_rect)
