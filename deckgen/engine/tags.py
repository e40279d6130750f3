"""Template tags in DrawingML text: what a paragraph's runs hold, and the shapes they sit in.

Shared by the compiler (:mod:`deckgen.engine.text`), text fitting and ``templates lint``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from deckgen.engine.opc import q
from deckgen.engine.xmltext import escape as _xml_escape

TAG_RE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
SLIDE_DIRECTIVE_RE = re.compile(r"^\{%-?\s*slide\s+(if|for)\s+(.*?)\s*-?%\}$", re.S)
_STMT_WORD = re.compile(r"^\{%-?\s*(\w+)")
OPENERS = {"for": "endfor", "if": "endif"}
CLOSERS = {"endfor": "for", "endif": "if"}
MIDDLES = {"else", "elif"}
_RPR_CHILD_ORDER = [
    "ln",
    "noFill",
    "solidFill",
    "gradFill",
    "blipFill",
    "pattFill",
    "grpFill",
    "effectLst",
    "effectDag",
    "highlight",
    "uLnTx",
    "uLn",
    "uFillTx",
    "uFill",
    "latin",
    "ea",
    "cs",
    "sym",
    "hlinkClick",
    "hlinkMouseOver",
    "rtl",
    "extLst",
]
BODY_TAGS = {q("p:txBody"), q("a:txBody"), q("c:rich"), q("c:txPr")}

# What PowerPoint's AutoCorrect types for the characters a tag needs, outside quoted strings.
_OPEN_QUOTES = {"\u2018": "'", "\u201a": "'", "\u201b": "'", "\u201c": '"', "\u201e": '"', "\u201f": '"'}
_CLOSE_QUOTES = {"'": "\u2019", '"': "\u201d"}
_AUTOCORRECT = {
    "\u2019": "'",  # a closing quote typed where a string starts
    "\u201d": '"',
    "\u2013": "-",  # "a - b" becomes an en dash
    "\u2014": "-",
    "\u2026": "...",
    "\u2032": "'",
    "\u2033": '"',
}
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2002\u2003\u2007\u2009\u200a\u202f\u205f\u3000\t\v\r\n"), " ")
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def normalise_tag(tag: str) -> str:
    """``tag`` with PowerPoint's typing substitutions undone where Jinja would trip on them.

    Curly quotes that open or close a string become straight quotes (an apostrophe inside a string,
    as in 'we’re', is kept); non-breaking and other Unicode spaces become spaces; en/em dashes,
    ellipses and primes typed outside strings become ``-``, ``...`` and quotes. Text inside strings
    is left exactly as typed.
    """
    tag = tag.translate(_ZERO_WIDTH)
    out: list[str] = []
    quote = None  # the straight quote that closes the current string
    closer = None  # the curly quote that also closes it, when it was opened curly
    i = 0
    while i < len(tag):
        ch = tag[i]
        if quote is None:
            if ch in ("'", '"'):
                quote, closer = ch, None
                out.append(ch)
            elif ch in _OPEN_QUOTES:
                quote = _OPEN_QUOTES[ch]
                closer = _CLOSE_QUOTES[quote]
                out.append(quote)
            elif ch in _AUTOCORRECT:
                replaced = _AUTOCORRECT[ch]
                if replaced in ("'", '"'):
                    quote, closer = replaced, _CLOSE_QUOTES[replaced]
                out.append(replaced)
            else:
                out.append(ch.translate(_SPACES))
        elif ch == "\\" and i + 1 < len(tag):
            out.append(tag[i : i + 2])
            i += 1
        elif closer is not None and ch == quote:
            out.append("\\" + ch)  # a straight quote inside a string opened with a curly one
        elif ch == quote or (ch == closer and not tag[i + 1 : i + 2].isalnum()):
            out.append(quote)
            quote = closer = None
        else:
            out.append(ch)
        i += 1
    return "".join(out)


@dataclass
class Piece:
    kind: str  # text | expr | stmt | comment
    text: str

    @property
    def keyword(self) -> str:
        m = _STMT_WORD.match(self.text)
        return m.group(1) if m else ""


@dataclass
class Run:
    element: object  # a:r or a:fld
    pieces: list[Piece]
    had_text: bool


@dataclass
class Para:
    element: object
    runs: list[Run]
    shape: str
    before: list[str] = field(default_factory=list)  # statements hoisted before the paragraph
    after: list[str] = field(default_factory=list)
    statement_only: bool = False

    def tokens(self) -> list[Piece]:
        return [pc for r in self.runs for pc in r.pieces]

    def has_tags(self) -> bool:
        return any(pc.kind != "text" for pc in self.tokens())


@dataclass
class SlideDirective:
    kind: str  # "if" or "for"
    expression: str  # the condition, or "target in iterable"
    shape: str
    text: str


@dataclass
class Location:
    """Where a tag sits, for error messages."""

    shape: str
    text: str


@dataclass
class PartSource:
    """The result of compiling a part's XML into Jinja2 source."""

    source: str
    locations: list[Location]  # index = line number - 1 in the source
    directives: list[SlideDirective]
    expressions: list[tuple[str, Location]]  # every {{ }} and statement, for linting


SHAPE_TAGS = {q("p:sp"), q("p:graphicFrame"), q("p:pic"), q("p:cxnSp"), q("p:grpSp"), q("p:contentPart")}


def run_groups(p) -> list[list]:
    """A paragraph's runs (a:r, a:fld), split at line breaks: a tag never spans a line break."""
    groups: list[list] = [[]]
    for child in p:
        if child.tag in (q("a:r"), q("a:fld")):
            groups[-1].append(child)
        elif child.tag == q("a:br"):
            groups.append([])
    return groups


def own_name(shape) -> str:
    """A shape's name as the Selection Pane shows it ('' if it has none)."""
    c_nv = shape.find(f"./*/{q('p:cNvPr')}")
    return c_nv.get("name", "") if c_nv is not None else ""


def shape_name(el) -> str:
    """The name of the shape an element (a paragraph, a picture part) sits in, or ''."""
    node = el.getparent()
    while node is not None and node.tag not in SHAPE_TAGS:
        node = node.getparent()
    return own_name(node) if node is not None else ""


def literal(text: str) -> str:
    """Literal text as it must appear in the Jinja2 source of an XML part."""
    return _xml_escape(text).replace("{", "&#123;")


def set_east_asian(rpr, font: str) -> None:
    """Set (or replace) the a:ea typeface of a run's properties, in schema order."""
    existing = rpr.find(q("a:ea"))
    if existing is not None:
        existing.set("typeface", font)
        return
    ea = etree.Element(q("a:ea"))
    ea.set("typeface", font)
    order = _RPR_CHILD_ORDER.index("ea")
    for idx, child in enumerate(rpr):
        local = etree.QName(child).localname
        if local in _RPR_CHILD_ORDER and _RPR_CHILD_ORDER.index(local) > order:
            rpr.insert(idx, ea)
            return
    rpr.append(ea)


def _ancestor(p, tags):
    node = p.getparent()
    while node is not None and node.tag not in tags:
        node = node.getparent()
    return node


def body_of(p):
    return _ancestor(p, BODY_TAGS)


def container_of(p):
    return _ancestor(p, BODY_TAGS | {q("a:tbl")}) if _ancestor(p, {q("a:tbl")}) is None else _ancestor(p, {q("a:tbl")})


def group_by(paras: list[Para], key) -> dict:
    # keyed by the element itself: holding it keeps lxml's proxy (and so its identity) alive
    groups: dict = {}
    for para in paras:
        groups.setdefault(key(para.element), []).append(para)
    return groups


def first_statement(para: Para) -> Piece | None:
    for pc in para.tokens():
        if pc.kind == "text" and not pc.text.strip():
            continue
        return pc if pc.kind == "stmt" else None
    return None


def last_statement(para: Para) -> Piece | None:
    for pc in reversed(para.tokens()):
        if pc.kind == "text" and not pc.text.strip():
            continue
        return pc if pc.kind == "stmt" else None
    return None


def balanced(tokens: list[Piece]) -> int | None:
    """Return 0 if the block statements balance, None if they don't."""
    depth = 0
    for pc in tokens:
        if pc.kind != "stmt":
            continue
        if pc.keyword in OPENERS:
            depth += 1
        elif pc.keyword in CLOSERS:
            depth -= 1
            if depth < 0:
                return None
        elif pc.keyword in MIDDLES and depth == 0:
            return None
    return 0 if depth == 0 else None


def drop_piece(para: Para, piece: Piece) -> None:
    for run in para.runs:
        if piece in run.pieces:
            run.pieces.remove(piece)
            return


def remove_keeping_one_paragraph(p) -> None:
    """Remove a paragraph; a text body must keep at least one a:p, so leave an empty one."""
    parent = p.getparent()
    siblings = [c for c in parent if c.tag == q("a:p")]
    parent.remove(p)
    if len(siblings) == 1:
        empty = etree.SubElement(parent, q("a:p"))
        parent.append(empty)
