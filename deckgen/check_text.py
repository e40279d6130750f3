"""The text checks of ``deckgen check`` (:mod:`deckgen.check`): leftover tags, bad text, overflow, fonts.

:class:`TextChecks` is mixed into the checker, which parses the parts and numbers the slides first.
Overflow is measured like :mod:`deckgen.engine.layout.fitting` does; a font neither bundled nor
installed is a warning.
"""

from __future__ import annotations

import re

from deckgen.check_report import WARNING
from deckgen.engine.layout.fonts import FontBook, is_cjk
from deckgen.engine.layout.frame import describe_length, read_frame
from deckgen.engine.layout.styles import DeckStyles
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
                if frame is None or not frame.has_text() or not frame.has_explicit_sizes():
                    continue
                measure = frame.measure()
                if measure.fits:
                    continue
                if measure.direction == "wide":
                    message = f"text is wider than its box by {describe_length(measure.excess)}"
                else:
                    message = f"text overflows its box by {describe_length(measure.excess)}"
                self.add("overflow", message, part=part, shape=own_name(sp))

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
                    f"font '{family}' is neither bundled with deckgen nor installed here: viewers "
                    "without it see another font, and text was measured with a stand-in",
                    severity=WARNING,
                )


def _clip(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
