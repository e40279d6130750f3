#!/usr/bin/env python3
"""Measure the bundled decks against the deck design rules (docs/templates.md, DESIGN.md).

    python tools/measure_decks.py [--out-dir DIR] [--storylines] [--brief]

Builds every example prospect with every bundled brand kit (and, with ``--storylines``, the
first prospect in every storyline), then prints one row per slide: the word count (footer band
and slide number left out), the smallest size of body text (a paragraph of five words or more),
the smallest text size outside the footer band, the lowest WCAG contrast of a text run against
what is behind it, whether the slide has a title placeholder, and the font families its text
uses (theme fonts resolved through the deck's theme).

The reading functions (:func:`measure_deck`) are also what tests/acceptance/test_deck_design.py
asserts with.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from deckgen.brand.colour import from_hls, hls  # noqa: E402
from deckgen.brand.contrast import contrast_ratio  # noqa: E402

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
EMU_IN = 914400
FOOTER_BAND = 6.85  # inches: text whose box starts below this line is footer
BODY_WORDS = 5  # a paragraph of this many words or more is body text
STORYLINES = ("pitch", "buyer", "nurture", "discovery", "walk_away")
SCHEME_ALIAS = {"tx1": "dk1", "tx2": "dk2", "bg1": "lt1", "bg2": "lt2"}


@dataclass
class SlideMeasure:
    """What one slide measures."""

    number: int
    title: str  # the title placeholder's text ("" when there is none)
    words: int
    body_min: float | None  # smallest body size, pt
    text_min: float | None  # smallest size outside the footer band, pt
    contrast_min: float | None
    contrast_pair: str
    fonts: set[str] = field(default_factory=set)
    pictures: list[str] = field(default_factory=list)  # alt text of each picture
    has_title: bool = False
    texts: list[tuple[float, float, str]] = field(default_factory=list)  # (top, left, text) of each text box


class Theme:
    """The colour and font scheme of a deck's first theme."""

    def __init__(self, xml: bytes):
        root = etree.fromstring(xml)
        scheme = root.find(f".//{A}clrScheme")
        self.colors = {}
        for slot in scheme:
            value = slot.find(f"{A}srgbClr")
            if value is None:
                value = slot.find(f"{A}sysClr")
                self.colors[etree.QName(slot).localname] = value.get("lastClr", "000000")
            else:
                self.colors[etree.QName(slot).localname] = value.get("val")
        fonts = root.find(f".//{A}fontScheme")
        self.fonts = {
            "+mj-lt": fonts.find(f"{A}majorFont/{A}latin").get("typeface"),
            "+mn-lt": fonts.find(f"{A}minorFont/{A}latin").get("typeface"),
            "+mj-ea": fonts.find(f"{A}majorFont/{A}ea").get("typeface"),
            "+mn-ea": fonts.find(f"{A}minorFont/{A}ea").get("typeface"),
        }

    def color(self, holder) -> str | None:
        """The hex colour of a fill holder (<a:solidFill> or <a:fgClr>), lumMod/lumOff applied."""
        if holder is None:
            return None
        srgb = holder.find(f"{A}srgbClr")
        if srgb is not None:
            return srgb.get("val").upper()
        clr = holder.find(f"{A}schemeClr")
        if clr is None:
            return None
        base = self.colors[SCHEME_ALIAS.get(clr.get("val"), clr.get("val"))]
        mod = clr.find(f"{A}lumMod")
        off = clr.find(f"{A}lumOff")
        if mod is None and off is None:
            return base.upper()
        h, light, s = hls(base)
        light = light * (int(mod.get("val")) / 100000 if mod is not None else 1)
        light += int(off.get("val")) / 100000 if off is not None else 0
        return from_hls(h, min(1.0, max(0.0, light)), s)


def _box(shape) -> tuple[float, float, float, float] | None:
    off = shape.find(f".//{A}off")
    ext = shape.find(f".//{A}ext")
    if off is None or ext is None or ext.get("cx") is None:
        return None
    return tuple(int(v) / EMU_IN for v in (off.get("x"), off.get("y"), ext.get("cx"), ext.get("cy")))


def _inside(inner, outer) -> bool:
    x, y, w, h = inner
    ox, oy, ow, oh = outer
    return x >= ox - 0.01 and y >= oy - 0.01 and x + w <= ox + ow + 0.01 and y + h <= oy + oh + 0.01


def _words(text: str) -> int:
    count = 0
    for token in text.split():
        cjk = sum(1 for ch in token if "\u3000" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff")
        count += max(1, cjk // 2) if cjk else 1  # two CJK characters count as a word
    return count


def _slide_background(slide, layout, theme: Theme) -> str:
    for root in (slide, layout):
        bg = root.find(f".//{P}bg/{P}bgPr/{A}solidFill")
        if bg is not None:
            return theme.color(bg)
    return theme.colors["lt1"]


def measure_slide(number: int, slide_xml: bytes, layout_xml: bytes, theme: Theme) -> SlideMeasure:
    """Measure one slide's XML (its layout's XML gives the background when the slide has none)."""
    slide = etree.fromstring(slide_xml)
    layout = etree.fromstring(layout_xml)
    background = _slide_background(slide, layout, theme)
    tree = slide.find(f"{P}cSld/{P}spTree")
    fills = []  # (box, colour) of filled shapes, in z order
    m = SlideMeasure(number, "", 0, None, None, None, "")
    for shape in tree.iter(f"{P}sp", f"{P}pic", f"{P}graphicFrame"):
        box = _box(shape)
        c_nv = shape.find(f".//{P}cNvPr")
        if shape.tag == f"{P}pic":
            m.pictures.append(c_nv.get("descr", ""))
            continue
        ph = shape.find(f".//{P}nvPr/{P}ph")
        sp_fill = shape.find(f"{P}spPr/{A}solidFill")
        if sp_fill is not None and box is not None:
            fills.append((box, theme.color(sp_fill)))
        if ph is not None and ph.get("type") in ("title", "ctrTitle"):
            m.has_title = True
            m.title = " ".join("".join(t.text or "" for t in p.iter(f"{A}t")) for p in shape.iter(f"{A}p")).strip()
        footer = box is not None and box[1] >= FOOTER_BAND
        behind = background
        for fbox, colour in fills:
            if box is not None and colour and _inside(box, fbox) and fbox != box:
                behind = colour
        if sp_fill is not None:
            behind = theme.color(sp_fill)
        shape_text = []
        for para in shape.iter(f"{A}p"):
            runs = [r for r in para if r.tag in (f"{A}r", f"{A}fld")]
            text = "".join(r.findtext(f"{A}t") or "" for r in runs).strip()
            if not text:
                continue
            shape_text.append(text)
            is_field = all(r.tag == f"{A}fld" for r in runs)
            if not footer and not is_field:
                m.words += _words(text)
            for run in runs:
                if not (run.findtext(f"{A}t") or "").strip():
                    continue
                rpr = run.find(f"{A}rPr")
                size = int(rpr.get("sz")) / 100 if rpr is not None and rpr.get("sz") else None
                if size is not None and not footer:
                    m.text_min = size if m.text_min is None else min(m.text_min, size)
                    if _words(text) >= BODY_WORDS:
                        m.body_min = size if m.body_min is None else min(m.body_min, size)
                if rpr is not None:
                    latin = rpr.find(f"{A}latin")
                    if latin is not None:
                        m.fonts.add(theme.fonts.get(latin.get("typeface"), latin.get("typeface")))
                    colour = theme.color(rpr.find(f"{A}solidFill")) or theme.colors["dk1"]
                    ratio = contrast_ratio(colour, behind)
                    if m.contrast_min is None or ratio < m.contrast_min:
                        m.contrast_min, m.contrast_pair = ratio, f"#{colour} on #{behind}"
        if shape_text and box is not None:
            m.texts.append((box[1], box[0], " ".join(shape_text)))
    return m


def measure_deck(path: Path) -> list[SlideMeasure]:
    """Every slide of a .pptx, measured, in presentation order."""
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        theme = Theme(z.read("ppt/theme/theme1.xml"))
        pres = etree.fromstring(z.read("ppt/presentation.xml"))
        rels = etree.fromstring(z.read("ppt/_rels/presentation.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        out = []
        for i, sld in enumerate(pres.iter(f"{P}sldId"), start=1):
            part = "ppt/" + targets[sld.get(f"{R}id")].lstrip("/").removeprefix("ppt/")
            slide_rels = part.replace("slides/", "slides/_rels/") + ".rels"
            layout_xml = b"<x/>"
            if slide_rels in names:
                for rel in etree.fromstring(z.read(slide_rels)):
                    if rel.get("Type", "").endswith("/slideLayout"):
                        layout_xml = z.read("ppt/slideLayouts/" + rel.get("Target").rsplit("/", 1)[-1])
            out.append(measure_slide(i, z.read(part), layout_xml, theme))
        return out


def _fmt(value: float | None, spec: str = "g") -> str:
    return "—" if value is None else format(value, spec)


def build_all(out_dir: Path, storylines: bool) -> list[tuple[str, Path]]:
    """Build every example × brand kit (and every storyline of the first example); return (label, deck)."""
    from click.testing import CliRunner

    from deckgen.cli.app import cli
    from deckgen.resources import examples_dir

    profile = examples_dir() / "profile.yaml"
    prospects = sorted((examples_dir() / "prospects").glob("*.yaml"))
    brands = sorted(p.name for p in (ROOT / "brand").iterdir() if (p / "brand.yaml").exists())
    jobs = [(p, b, None) for b in brands for p in prospects]
    if storylines:
        jobs += [(prospects[0], brands[0], s) for s in STORYLINES]
    built = []
    for prospect, brand, storyline in jobs:
        label = f"{prospect.stem} · {brand}" + (f" · {storyline}" if storyline else "")
        out = out_dir / brand / (storyline or "natural") / f"{prospect.stem}.pptx"
        out.parent.mkdir(parents=True, exist_ok=True)
        args = ["build", "-p", str(profile), "-x", str(prospect), "-o", str(out), "--brand", brand]
        args += ["--date", "2026-11-25"] + (["--storyline", storyline.replace("_", "-")] if storyline else [])
        result = CliRunner().invoke(cli, args)
        if result.exit_code != 0:
            print(f"{label}: build failed: {result.output.strip()}", file=sys.stderr)
            continue
        built.append((label, out))
        brief = out.with_name(out.stem + "-brief.pptx")
        if brief.exists():
            built.append((label + " · brief", brief))
    return built


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out-dir", type=Path, help="where to build the decks (default: a temporary folder)")
    parser.add_argument("--storylines", action="store_true", help="also build the first example in every storyline")
    parser.add_argument("--brief", action="store_true", help="also measure the seller briefs")
    parser.add_argument("decks", nargs="*", type=Path, help="measure these decks instead of building")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.decks:
            decks = [(d.name, d) for d in args.decks]
        else:
            decks = build_all(args.out_dir or Path(tmp), args.storylines)
        if not args.brief:
            decks = [(label, d) for label, d in decks if not label.endswith("brief")]
        print("| deck | slide | title? | words | body min pt | text min pt | lowest contrast | fonts |")
        print("|---|---|---|---|---|---|---|---|")
        for label, deck in decks:
            for m in measure_deck(deck):
                contrast = f"{_fmt(m.contrast_min, '.1f')}:1" if m.contrast_min else "—"
                print(
                    f"| {label} | {m.number} | {'yes' if m.has_title else 'NO'} | {m.words} | {_fmt(m.body_min)} "
                    f"| {_fmt(m.text_min)} | {contrast} | {', '.join(sorted(m.fonts))} |"
                )


if __name__ == "__main__":
    main()
