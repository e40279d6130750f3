"""Contact sheets: every slide of a deck as thumbnails on one PNG (Pillow)."""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from pathlib import Path

RGB = tuple[int, int, int]


def _label_font(size: int):
    from PIL import ImageFont

    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1: only the small bitmap font
        return ImageFont.load_default()


def contact_sheet(
    pngs: Sequence[str | os.PathLike[str]],
    out_path: str | os.PathLike[str],
    *,
    columns: int = 3,
    max_width: int = 2400,
    thumb_width: int = 640,
    margin: int = 32,
    gap: int = 24,
    background: RGB = (243, 244, 246),
    border: RGB = (156, 163, 175),
    label: RGB = (55, 65, 81),
) -> Path:
    """Put all slides on one PNG, a grid of thumbnails with thin borders and slide numbers; return its path.

    The sheet is at most ``max_width`` pixels wide; thumbnails keep their aspect ratio.
    """
    # imported here: importing deckgen.export should not load Pillow, nor the whole engine (its package
    # __init__) for one helper
    from PIL import Image, ImageDraw

    from deckgen.output import atomic_write

    if not pngs:
        raise ValueError("contact_sheet needs at least one image")
    columns = max(1, min(int(columns), len(pngs)))
    room = (max_width - 2 * margin - (columns - 1) * gap) // columns
    tw = max(16, min(int(thumb_width), room))
    thumbs = []
    for p in pngs:
        with Image.open(p) as im:
            im = im.convert("RGB")
            th = max(1, round(im.height * tw / im.width))
            thumbs.append(im.resize((tw, th), Image.Resampling.LANCZOS))
    font_size = max(12, tw // 28)
    font = _label_font(font_size)
    label_h = font_size + 12
    rows = [thumbs[i : i + columns] for i in range(0, len(thumbs), columns)]
    row_h = [max(t.height for t in row) + label_h for row in rows]
    width = 2 * margin + columns * tw + (columns - 1) * gap
    height = 2 * margin + sum(row_h) + (len(rows) - 1) * gap
    sheet = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(sheet)
    y = margin
    number = 0
    for row, rh in zip(rows, row_h, strict=True):
        x = margin
        for thumb in row:
            number += 1
            sheet.paste(thumb, (x, y))
            draw.rectangle([x - 1, y - 1, x + thumb.width, y + thumb.height], outline=border, width=1)
            text = str(number)
            box = draw.textbbox((0, 0), text, font=font)
            draw.text((x + (tw - (box[2] - box[0])) // 2, y + thumb.height + 6 - box[1]), text, fill=label, font=font)
            x += tw + gap
        y += rh + gap
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    sheet.save(buf, format="PNG")
    atomic_write(out, buf.getvalue())
    return out
