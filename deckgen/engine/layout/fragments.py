"""A rendered slide's shapes found in its text, so that text fitting parses only the shapes it measures.

Fitting a deck measures the few shapes whose text names the prospect; parsing the whole slide for
them (and serialising every tagged shape to look it up) costs more than measuring. A slide plain
enough to cut safely is cut into its ``p:sp`` elements by text; each one parses on its own inside
a wrapper that declares the slide root's namespaces. Anything less plain (groups, alternate
content, comments, CDATA, PresentationML bound to another prefix or declared below the root)
returns None and the caller parses the whole slide, as before.
"""

from __future__ import annotations

import re

from deckgen.engine.opc import NS

_PML = NS["p"].encode()
_ROOT_DECLARATION = b'xmlns:p="' + _PML + b'"'
_NOT_PLAIN = (b"AlternateContent", b"<!--", b"<![CDATA[")
_GROUP = re.compile(rb"<p:grpSp[\s>/]")  # not <p:grpSpPr>
_SP_OPEN, _SP_CLOSE = b"<p:sp", b"</p:sp>"
_AFTER_NAME = frozenset(b" \t\r\n>/")  # what follows the tag name of <p:sp …>, not of <p:spTree>
_DECLARATION = re.compile(rb'\sxmlns(?::[\w.-]+)?="[^"]*"')
_NV_PR, _ID = b"<p:cNvPr ", b' id="'
WRAPPER_END = b"</p:spTree>"


def shape_fragments(xml: bytes) -> tuple[bytes, list[tuple[str, bytes]]] | None:
    """(a wrapper's opening tag, [(shape id, the shape's text)] in document order), or None when the slide is
    not plain enough to cut up by text.

    ``wrapper + text + WRAPPER_END`` parses to a ``p:spTree`` holding that one shape.
    """
    if any(marker in xml for marker in _NOT_PLAIN) or xml.count(_PML) != 1 or _GROUP.search(xml) is not None:
        return None
    root = xml.find(b"<p:sld")
    root_end = xml.find(b">", root)
    if root < 0 or root_end < 0 or _ROOT_DECLARATION not in xml[root:root_end]:
        return None
    tree = xml.find(b"<p:spTree", root_end)
    tree_end = xml.find(b">", tree)
    if tree < 0 or tree_end < 0 or b"xmlns" in xml[root_end:tree_end]:
        return None  # a namespace declared on an ancestor of the shapes
    wrapper = b"<p:spTree" + b"".join(_DECLARATION.findall(xml[root:root_end])) + b">"
    shapes = []
    pos = tree_end
    while (start := xml.find(_SP_OPEN, pos)) >= 0:
        pos = start + len(_SP_OPEN)
        if pos >= len(xml):
            return None
        if xml[pos] not in _AFTER_NAME:
            continue  # <p:spTree>, <p:spPr>, <p:spLocks>…
        if xml[xml.find(b">", start) - 1] == ord("/"):
            return None  # an empty <p:sp/>
        end = xml.find(_SP_CLOSE, start)
        if end < 0:
            return None
        end += len(_SP_CLOSE)
        text = xml[start:end]
        sid = _shape_id(text)
        if sid is None:
            return None
        shapes.append((sid, text))
        pos = end
    return wrapper, shapes


def _shape_id(text: bytes) -> str | None:
    """The ``id`` of the shape's first ``p:cNvPr`` (checked against the parsed shape before it is trusted)."""
    nv = text.find(_NV_PR)
    if nv < 0:
        return None
    tag_end = text.find(b">", nv)
    at = text.find(_ID, nv, tag_end)
    if at < 0:
        return None
    at += len(_ID)
    end = text.find(b'"', at, tag_end)
    return text[at:end].decode("utf-8", "replace") if end >= 0 else None


__all__ = ["WRAPPER_END", "shape_fragments"]
