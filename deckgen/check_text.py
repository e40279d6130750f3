"""The text checks of ``deckgen check`` (:mod:`deckgen.check`): leftover tags, bad text, overflow, fonts.

:class:`TextChecks` is mixed into the checker, which parses the parts and numbers the slides first.
Overflow is measured like :mod:`deckgen.engine.layout.fitting` does; a font neither bundled nor
installed is a warning.
"""

from __future__ import annotations

import re

from deckgen.check_report import WARNING
from deckgen.engine.layout.fonts import FALLBACK_FAMILY, FontBook, is_cjk
from deckgen.engine.layout.frame import EMU_PER_PT, TextFrame, describe_length, read_frame
from deckgen.engine.layout.styles import DeckStyles
from deckgen.engine.layout.table_text import table_extent
from deckgen.engine.opc import q
from deckgen.engine.tags import own_name, shape_name
from deckgen.load.fonts import installed_font

_TAG_RE = re.compile(r"\{\{.*?(?:\}\}|$)|\{%.*?(?:%\}|$)|\{#.*?(?:#\}|$)", re.S)
_ESCAPE_RE = re.compile(r"_x[0-9A-Fa-f]{4}_")
_BAD_CHAR_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_TEXT_PARTS = re.compile(r"ppt/(slides|notesSlides|slideLayouts|slideMasters|charts|diagrams|notesMasters)/[^/]+\.xml$")


class TextChecks:
    """Mixed into the checker, which sets these attributes and ``add``."""

    roots: dict[str, object]
    slides: dict[str, int]
    notes: dict[str, int]
    presentation: str | None
    styles: DeckStyles | None

    def _text(self) -> None:
        for part in sorted(self.roots, key=lambda p: (self.slides.get(p, 10**6), p)):
            if not _TEXT_PARTS.match(part):
                continue
            root = self.roots[part]
            for p in root.iter(q("a:p")):
                text = "".join(t.text or "" for t in p.iter(q("a:t")))
                if not text:
                    continue
                shape = (shape_name(p) or None) if part not in self.notes else None
                for m in _TAG_RE.finditer(text):
                    self.add(
                        "leftover-tag",
                        f"a template tag was left in the text: '{_clip(m.group())}'",
                        part=part,
                        shape=shape,
                    )
                for m in _ESCAPE_RE.finditer(text):
                    self.add(
                        "bad-text",
                        f"text holds the escape '{m.group()}' (a control character in the data): '{_clip(text)}'",
                        part=part,
                        shape=shape,
                    )
                for m in _BAD_CHAR_RE.finditer(text):
                    self.add(
                        "bad-text",
                        f"text holds the control character U+{ord(m.group()):04X}: '{_clip(text)}'",
                        part=part,
                        shape=shape,
                    )

    def _overflow(self) -> None:
        if not self.slides or not self.presentation:
            return
        # the parts are parsed already; a part missing from self.roots is absent or broken
        self.styles = DeckStyles(lambda part: None, self.presentation, self.roots)
        self.fonts = FontBook(find_installed=installed_font)
        for part in sorted(self.slides, key=self.slides.get):
            root = self.roots.get(part)
            if root is None:
                continue
            theme = self.styles.theme_fonts(part)
            for sp in root.iter(q("p:sp")):
                frame = read_frame(sp, part, self.styles, self.fonts, theme)
                if frame is None or not frame.has_text():
                    continue
                off = off_slide(sp, part, frame, self.styles)
                if off is not None:
                    self.add("off-slide", off, part=part, shape=own_name(sp))
                    continue
                if not frame.has_explicit_sizes() or _grows(self.styles.frame_style(sp, part).bodies):
                    continue  # a box that grows with its text cannot overflow it; only the slide's edge counts
                measure = frame.measure()
                if measure.fits:
                    continue
                if measure.direction == "wide":
                    message = f"text is wider than its box by {describe_length(measure.excess)}"
                else:
                    message = f"text overflows its box by {describe_length(measure.excess)}"
                self.add("overflow", message, part=part, shape=own_name(sp))
            for frame in root.iter(q("p:graphicFrame")):
                off = table_off_slide(frame, part, self.styles, self.fonts, theme)
                if off is not None:
                    self.add("off-slide", off, part=part, shape=own_name(frame))

    def _fonts(self) -> None:
        if self.styles is None:
            return
        used: dict[tuple[str, bool], None] = {}
        has_cjk = False
        for part in self.slides:
            root = self.roots.get(part)
            if root is None:
                continue
            theme = self.styles.theme_fonts(part)
            for family in ("+mn-lt", "+mj-lt"):
                if theme.get(family):
                    used[(theme[family], False)] = None
            for el in root.iter(q("a:latin"), q("a:ea")):
                face = el.get("typeface", "")
                east_asian = el.tag == q("a:ea")
                face = theme.get(face, "") if face.startswith("+") else face
                if face:
                    used[(face, east_asian)] = None
            for t in root.iter(q("a:t")):
                if t.text and any(is_cjk(ch) for ch in t.text):
                    has_cjk = True
                    for family in ("+mn-ea", "+mj-ea"):
                        if theme.get(family):
                            used[(theme[family], True)] = None
        for family, east_asian in used:
            if east_asian and not has_cjk:
                continue  # an east-asian font only matters when there is east-asian text
            if self.fonts.choose(family, east_asian=east_asian).source == "fallback":
                self.add(
                    "font",
                    f"font '{family}' is neither bundled with deckgen, installed here, nor one deckgen has a "
                    f"metric twin for, so its text was measured with {FALLBACK_FAMILY} instead; where '{family}' "
                    "is missing PowerPoint substitutes a font deckgen did not measure with, and lines may wrap "
                    "or overflow differently. Install the font, add its files to the brand kit, or use a "
                    "font PowerPoint has (Calibri, Arial, Aptos)",
                    severity=WARNING,
                )


_OFF_TOLERANCE_PT = 2.0
_INSETS = (("lIns", 91440), ("rIns", 91440), ("tIns", 45720), ("bIns", 45720))


def _grows(bodies: list) -> bool:
    """True when the shape's text box grows with its text (``a:spAutoFit``, the most specific setting wins)."""
    grows = False
    for body in bodies:
        if body is None:
            continue
        for tag, value in (("a:noAutofit", False), ("a:normAutofit", False), ("a:spAutoFit", True)):
            if body.find(q(tag)) is not None:
                grows = value
    return grows


def off_slide(sp, part: str, frame: TextFrame, styles: DeckStyles) -> str | None:
    """For a box that does not wrap or that grows with its text: where its text ends outside the slide, or None."""
    style = styles.frame_style(sp, part)
    body: dict = {}
    for el in style.bodies:
        if el is not None:
            body.update(el.attrib)
    grows, no_wrap = _grows(style.bodies), body.get("wrap") == "none"
    if not (grows or no_wrap) or style.box is None:
        return None
    left, right, top, _bottom = (_attr_int(body.get(k), d) / EMU_PER_PT for k, d in _INSETS)
    box = style.box
    x, y, cx, cy = (v / EMU_PER_PT for v in (box.x, box.y, box.cx, box.cy))
    slide_w, slide_h = styles.slide_width / EMU_PER_PT, styles.slide_height / EMU_PER_PT
    measure = frame.measure()
    inner = cx - left - right
    if no_wrap:
        first = sp.find(f"{q('p:txBody')}/{q('a:p')}/{q('a:pPr')}")
        align = first.get("algn", "l") if first is not None else "l"
        start = x + left + {"ctr": (inner - measure.width) / 2, "r": inner - measure.width}.get(align, 0.0)
    else:
        start = x + left
    end = start + (measure.width if no_wrap else min(measure.width, inner))
    anchor = "t" if grows else body.get("anchor", "t")
    room = cy - top - _bottom
    text_top = y + top + {"ctr": (room - measure.height) / 2, "b": room - measure.height}.get(anchor, 0.0)
    text_bottom = text_top + measure.height
    how = (
        "does not wrap"
        if no_wrap and not grows
        else "grows with its text"
        if grows and not no_wrap
        else ("does not wrap and grows with its text")
    )
    for excess, edge in (
        (end - slide_w, "right"),
        (-start, "left"),
        (text_bottom - slide_h, "bottom"),
        (-text_top, "top"),
    ):
        if excess > _OFF_TOLERANCE_PT:
            return (
                f"text runs {describe_length(excess)} past the {edge} edge of the slide (the box {how}); "
                "shorten the text, turn on wrapping or move the box"
            )
    return None


def table_off_slide(frame, part: str, styles: DeckStyles, fonts: FontBook, theme: dict[str, str]) -> str | None:
    """For a table whose rows grow with their text: how far it ends below the slide, or None."""
    extent = table_extent(frame, part, styles, fonts, theme)
    if extent is None:
        return None
    top, height = extent
    excess = top + height - styles.slide_height / EMU_PER_PT
    if excess <= _OFF_TOLERANCE_PT:
        return None
    return (
        f"the table runs {describe_length(excess)} past the bottom edge of the slide (its rows grow with their "
        "text); shorten the text, give the table fewer rows or move it up"
    )


def _attr_int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _clip(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
