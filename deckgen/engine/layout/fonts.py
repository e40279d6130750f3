"""Font files text is measured with, and character advances from them.

A typeface is measured with the brand kit's own font file, else the metric-compatible fonts bundled
in ``deckgen/fonts`` (Carlito for Calibri, Liberation Sans for Arial), else an installed font of that
family (found by the caller, see :func:`deckgen.load.fonts.installed_font`), else Carlito. CJK
characters use the east-asian font when one is found and one em otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

FONTS_DIR = Path(__file__).resolve().parents[2] / "fonts"
_UNITS = 1000  # fonts are loaded at this many pixels per em: advances come back in thousandths of an em
_MAX_WORDS = 4096  # measured words remembered per face (flat memory: ~110 bytes a word; rows bring new ones)
_BUNDLED = {
    ("carlito", False): "Carlito-Regular.ttf",
    ("carlito", True): "Carlito-Bold.ttf",
    ("liberation sans", False): "LiberationSans-Regular.ttf",
    ("liberation sans", True): "LiberationSans-Bold.ttf",
}
METRIC_COMPATIBLE = {
    "calibri": "carlito",
    "arial": "liberation sans",
    "helvetica": "liberation sans",
    "arimo": "liberation sans",
    "helvetica neue": "liberation sans",
}
FALLBACK_FAMILY = "carlito"
_CJK_FALLBACKS = ("Noto Sans CJK SC", "Noto Sans CJK TC", "Noto Sans CJK JP", "Noto Sans CJK KR")
CJK_RANGES = (
    "\u1100-\u11ff\u2e80-\u9fff\ua960-\ua97f\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff"
)
# the same ranges as code points: a regular expression over them takes ~10 ms to compile at start-up
CJK_CODE_POINTS = (
    (0x1100, 0x11FF),
    (0x2E80, 0x9FFF),
    (0xA960, 0xA97F),
    (0xAC00, 0xD7AF),
    (0xF900, 0xFAFF),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),
    (0x20000, 0x3FFFF),
)


class Face:
    """One font file, loaded once; character advances in ems, cached per character."""

    def __init__(self, path: Path, index: int) -> None:
        self.path = path
        from PIL import ImageFont  # loaded with the first font, not with the engine

        self.font = ImageFont.truetype(str(path), _UNITS, index=index, layout_engine=ImageFont.Layout.BASIC)
        self.widths: dict[str, float] = {}
        self.words: dict[str, float] = {}  # text -> ems: the same words come back in deck after deck

    def advance(self, ch: str) -> float:
        width = self.widths.get(ch)
        if width is None:
            width = self.widths[ch] = self.font.getlength(ch) / _UNITS
        return width

    def ems(self, text: str) -> float:
        """The advance of ``text`` in ems (kerning ignored: text is never measured narrower than it is)."""
        total = self.words.get(text)
        if total is not None:
            return total
        widths = self.widths
        total = 0.0
        for ch in text:
            width = widths.get(ch)
            total += width if width is not None else self.advance(ch)
        if len(self.words) >= _MAX_WORDS:
            self.words.clear()
        self.words[text] = total
        return total


_FACES: dict[tuple[str, int], Face] = {}


def _face(path: Path, index: int = 0) -> Face:
    key = (str(path), index)
    face = _FACES.get(key)
    if face is None:
        face = _FACES[key] = Face(path, index)
    return face


@dataclass(frozen=True)
class FontChoice:
    """The file a typeface is measured with, and where it came from."""

    family: str
    path: Path | None  # None: no file; CJK characters count one em, others as the fallback font
    index: int
    source: str  # brand, bundled, metric-compatible, installed, fallback


class FontBook:
    """Finds the font file to measure a typeface with: the brand kit's files, then deckgen's bundled
    fonts (by name or metric-compatible alias), then an installed font of that family, then Carlito."""

    def __init__(
        self, files: Iterable[Path] = (), find_installed: Callable[[str, bool], tuple[str, int] | None] | None = None
    ) -> None:
        """``files``: the brand kit's font files; ``find_installed(family, bold)``: (file, face index) of an
        installed font of exactly that family, or None (without it, only brand and bundled fonts are used)."""
        self._find_installed = find_installed
        self._installed: dict[tuple[str, bool], tuple[str, int] | None] = {}
        self._brand: dict[tuple[str, bool, bool], Path] = {}
        for path in files:
            try:
                from PIL import ImageFont

                family, style = ImageFont.truetype(str(path), 12).getname()
            except OSError:
                continue
            style = (style or "").lower()
            key = ((family or "").lower(), "bold" in style, "italic" in style or "oblique" in style)
            self._brand.setdefault(key, path)
        self._choices: dict[tuple[str, bool, bool, bool], FontChoice] = {}

    def prepare(self, families: Iterable[str], east_asian: Iterable[str] = ()) -> None:
        """Find and load the files for these typefaces in every style now, then look nothing else up.

        A compiled template calls this once with every typeface its parts name, so rendering a deck
        never runs a font lookup or opens a font file.
        """
        for names, cjk in ((families, False), (east_asian, True)):
            for family in dict.fromkeys(names):
                for bold in (False, True):
                    for italic in (False, True):
                        self.face(family, bold, italic, east_asian=cjk)
        self._find_installed = None

    def _installed_font(self, family: str, bold: bool) -> tuple[str, int] | None:
        key = (family, bold)
        if key not in self._installed:
            self._installed[key] = self._find_installed(family, bold) if self._find_installed else None
        return self._installed[key]

    def choose(self, family: str, bold: bool = False, italic: bool = False, *, east_asian: bool = False) -> FontChoice:
        """The file for ``family`` in that style (styles the files lack fall back to regular)."""
        key = (family, bold, italic, east_asian)
        choice = self._choices.get(key)
        if choice is None:
            choice = self._choices[key] = self._find(family, bold, italic, east_asian)
        return choice

    def _find(self, family: str, bold: bool, italic: bool, east_asian: bool) -> FontChoice:
        name = family.strip().lower()
        for style in ((bold, italic), (bold, False), (False, False)):
            path = self._brand.get((name, *style))
            if path is not None:
                return FontChoice(family, path, 0, "brand")
        for wanted, source in ((name, "bundled"), (METRIC_COMPATIBLE.get(name), "metric-compatible")):
            if wanted and (wanted, False) in _BUNDLED:
                return FontChoice(family, FONTS_DIR / _BUNDLED[(wanted, bold)], 0, source)
        found = self._installed_font(family.strip(), bold) if family.strip() else None
        if found is not None:
            return FontChoice(family, Path(found[0]), found[1], "installed")
        if east_asian:
            for other in _CJK_FALLBACKS:
                found = self._installed_font(other, bold)
                if found is not None:
                    return FontChoice(family, Path(found[0]), found[1], "fallback")
            return FontChoice(family, None, 0, "fallback")
        return FontChoice(family, FONTS_DIR / _BUNDLED[(FALLBACK_FAMILY, bold)], 0, "fallback")

    def face(self, family: str, bold: bool, italic: bool, *, east_asian: bool = False) -> Face | None:
        """The loaded face for ``family`` (a file that will not load is measured as the fallback font)."""
        choice = self.choose(family, bold, italic, east_asian=east_asian)
        if choice.path is None:
            return None
        try:
            return _face(choice.path, choice.index)
        except OSError:
            fallback = FontChoice(family, FONTS_DIR / _BUNDLED[(FALLBACK_FAMILY, bold)], 0, "fallback")
            self._choices[(family, bold, italic, east_asian)] = fallback
            return _face(fallback.path)


SPACES = " \t\u3000"  # what separates words when text is measured (an ideographic space too)
_SPACES_OR_NOT = re.compile(f"[{SPACES}]+|[^{SPACES}]+")


def text_pieces(text: str) -> list[tuple[str, str, str]]:
    """``text`` as (spaces, "", ""), ("", one CJK character, "") and ("", "", word) pieces, in order.

    A word is a run of characters that are neither spaces nor CJK (an ideographic space is a space).
    """
    out = []
    for chunk in _SPACES_OR_NOT.findall(text):
        if chunk[0] in SPACES:
            out.append((chunk, "", ""))
        elif max(chunk) < "\u1100":  # no CJK in it (the common case): one word
            out.append(("", "", chunk))
        else:
            start = 0
            for i, ch in enumerate(chunk):
                if is_cjk(ch):
                    if i > start:
                        out.append(("", "", chunk[start:i]))
                    out.append(("", ch, ""))
                    start = i + 1
            if start < len(chunk):
                out.append(("", "", chunk[start:]))
    return out


def is_cjk(ch: str) -> bool:
    """True for characters PowerPoint sets in the east-asian font (Han, kana, Hangul, full-width forms)."""
    if not ch:
        return False
    point = ord(ch[0])
    return point >= 0x1100 and any(low <= point <= high for low, high in CJK_CODE_POINTS)
