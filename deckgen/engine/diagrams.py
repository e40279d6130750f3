"""SmartArt: its text lives in diagram parts (``ppt/diagrams/data*.xml`` and ``drawing*.xml``).

Those parts are shared by the slide's copies and are drawn from two places at once (PowerPoint
lays the diagram out again from the data part; other readers show the cached drawing), so deckgen
does not fill tags there. A tag in SmartArt text is refused at compile (and so at lint), naming the
slide and the diagram, with the fix.
"""

from __future__ import annotations

import re

from deckgen.engine.opc import Rel, parse_xml, q
from deckgen.engine.tags import own_name
from deckgen.errors import TemplateError

_DIAGRAM_TEXT = ("/diagramData", "/diagramDrawing")
_TAG = re.compile(r"\{\{|\{%|\{#")


def refuse_tags_in_diagrams(root, rels: list[Rel], read, label: str, number: int) -> None:
    """Raise TemplateError if any SmartArt on the slide holds a tag in its text."""
    names = {}
    for gf in root.iter(q("p:graphicFrame")):
        for el in gf.iter("{*}relIds"):
            for rid in el.attrib.values():
                names[rid] = own_name(gf)
    for rel in rels:
        if rel.external or not rel.type.endswith(_DIAGRAM_TEXT):
            continue
        data = read(rel.target)
        if b"{" not in data:
            continue
        texts = [t.text or "" for t in parse_xml(data, rel.target, label).iter(q("a:t"))]
        tagged = next((t for t in texts if _TAG.search(t)), None)
        if tagged is None:
            continue
        raise TemplateError(
            "this SmartArt holds a tag, which deckgen cannot fill in SmartArt; convert it to shapes "
            "(right-click it in PowerPoint > Convert > To Shapes) or type the text without tags",
            file=label,
            slide=number,
            shape=names.get(rel.rid)
            or (next(iter(set(names.values()))) if len(set(names.values())) == 1 else "SmartArt"),
            snippet=tagged[:160],
        )
