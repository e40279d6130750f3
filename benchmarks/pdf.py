"""How fast decks become PDFs through LibreOffice. Prints figures; asserts nothing.

    python benchmarks/pdf.py                 # a generated 8-slide deck with a picture and a table
    python benchmarks/pdf.py --deck my.pptx  # your own deck
    python benchmarks/pdf.py --copies 50 --workers 1 2 --chunk 25

Reports LibreOffice's start-up cost (one deck per start, fresh profile), then converts N copies
of the deck with 1 and 2 workers (each worker its own converter and profile) and gives the
seconds per deck, amortised over the run.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from deckgen.export import PdfConverter, convert_pdfs, find_soffice  # noqa: E402


def make_sample_deck(path: Path) -> Path:
    """8 slides, 16:9: titles and bullets, a 1600x900 picture, a table, Chinese text."""
    from PIL import Image, ImageDraw
    from pptx import Presentation
    from pptx.util import Emu, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)
    w, h = prs.slide_width, prs.slide_height
    m = w // 16
    picture = path.with_suffix(".png")
    img = Image.new("RGB", (1600, 900), (30, 64, 120))
    draw = ImageDraw.Draw(img)
    for i in range(0, 1600, 40):
        draw.line([(i, 0), (1600 - i, 900)], fill=(60 + i % 150, 120, 200), width=3)
    img.save(picture)
    for n in range(8):
        slide = prs.slides.add_slide(prs.slide_layouts[6])
        title = slide.shapes.add_textbox(m, h // 12, w - 2 * m, h // 6).text_frame
        title.text = f"Slide {n + 1}: 恒信物流 keeps moving"
        title.paragraphs[0].runs[0].font.size = Pt(40)
        if n == 3:
            slide.shapes.add_picture(str(picture), m, h // 4, w - 2 * m)
        elif n == 5:
            table = slide.shapes.add_table(5, 4, m, h // 4, w - 2 * m, h // 2).table
            for r in range(5):
                for c in range(4):
                    table.cell(r, c).text = f"R{r}C{c}"
        else:
            body = slide.shapes.add_textbox(m, h * 3 // 10, w - 2 * m, h // 2).text_frame
            body.word_wrap = True
            for k, line in enumerate(
                ["Downtime costs money every hour", "Patching is weeks behind", "One call fixes it"]
            ):
                para = body.paragraphs[0] if k == 0 else body.add_paragraph()
                para.text = line
                para.runs[0].font.size = Pt(24)
    prs.save(path)
    picture.unlink()
    return path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--deck", type=Path, help="deck to convert (default: a generated one)")
    ap.add_argument("--copies", type=int, default=50)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--chunk", type=int, default=25, help="decks per LibreOffice start")
    ap.add_argument("--starts", type=int, default=3, help="single-deck runs for start-up cost")
    args = ap.parse_args()

    soffice = find_soffice()
    work = Path(tempfile.mkdtemp(prefix="deckgen-bench-pdf-"))
    try:
        deck = args.deck or make_sample_deck(work / "sample.pptx")
        print(f"soffice: {soffice}")
        print(f"deck: {deck} ({deck.stat().st_size / 1024:.0f} KiB)")

        singles = []
        for i in range(args.starts):
            with PdfConverter(soffice) as conv:
                t = time.perf_counter()
                res = conv.convert([deck], work / f"single-{i}")
                singles.append(time.perf_counter() - t)
            if not isinstance(res[deck], Path):
                print(f"conversion failed: {res[deck]}")
                return 1
        one = statistics.median(singles)
        print(
            f"one deck per start (fresh profile): median {one:.2f} s (runs: {', '.join(f'{s:.2f}' for s in singles)})"
        )

        src = work / "copies"
        src.mkdir()
        copies = []
        for i in range(args.copies):
            p = src / f"deck-{i:03d}.pptx"
            shutil.copyfile(deck, p)
            copies.append(p)
        print(f"{args.copies} copies, {args.chunk} decks per LibreOffice start:")
        print(f"{'workers':>8} {'total s':>9} {'s/deck':>8} {'decks/min':>10} {'failed':>7}")
        totals = {}
        for workers in args.workers:
            out = work / f"out-{workers}"
            t = time.perf_counter()
            res = convert_pdfs(copies, out, workers=workers, soffice=soffice, chunk_size=args.chunk)
            total = totals[workers] = time.perf_counter() - t
            failed = sum(not isinstance(v, Path) for v in res.values())
            print(
                f"{workers:>8} {total:>9.2f} {total / args.copies:>8.3f} {60 * args.copies / total:>10.0f} {failed:>7}"
            )
        if 1 in totals:
            starts = -(-args.copies // args.chunk)
            per_deck = (totals[1] - starts * one) / args.copies
            print(
                f"1 worker: {starts} starts x {one:.2f} s + {args.copies} decks x "
                f"{per_deck:.3f} s (per-deck cost beyond start-up)"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
