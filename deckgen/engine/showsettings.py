"""Sections, custom shows and the slide-show settings that name a template's slides.

A deck's slides depend on its prospect (slides repeat, drop out), so the template's sections
(``p14:sectionLst``) and custom shows (``p:custShowLst``) would list the wrong slides: every deck
leaves them out (:func:`deckgen.engine.deckparts.presentation_xml`). The slide-show settings
(Slide Show › Set Up Slide Show, in ``presProps.xml``) may name a custom show or a range of slide
numbers; they become *all slides*, since a custom show no deck has makes LibreOffice fail to open
the deck. The template's author is told once, when it is compiled.
"""

from __future__ import annotations

from lxml import etree

from deckgen.engine.opc import RT, Package, Rel, q, to_bytes
from deckgen.engine.safety import parse_xml
from deckgen.errors import TemplateWarning

_PRES_PROPS = RT + "presProps"


def show_settings(
    pkg: Package, pres, pres_rels: list[Rel], label: str
) -> tuple[dict[str, bytes], list[TemplateWarning]]:
    """The presentation-properties part rewritten to show all slides (by part name, when it named a
    custom show or a slide range), and a warning naming the sections and custom shows no deck keeps."""
    sections = [s.get("name") or "untitled" for s in pres.iter(q("p14:section"))]
    shows = [s.get("name") or "untitled" for s in pres.iter(q("p:custShow"))]
    replaced: dict[str, bytes] = {}
    setting = None
    props = next((r.target for r in pres_rels if r.type == _PRES_PROPS and not r.external), None)
    if props and props in pkg:
        root = parse_xml(pkg.read(props), props, label)
        show = root.find(q("p:showPr"))
        chosen = [el for el in show if el.tag in (q("p:custShow"), q("p:sldRg"))] if show is not None else []
        if chosen:
            setting = "a custom show" if chosen[0].tag == q("p:custShow") else "a range of slides"
            chosen[0].addprevious(etree.Element(q("p:sldAll")))
            for el in chosen:
                show.remove(el)
            replaced[props] = to_bytes(root)
    parts = []
    if sections:
        parts.append(f"its sections ({_names(sections)})")
    if shows:
        parts.append(f"its custom slide shows ({_names(shows)})")
    found = []
    if parts:
        found.append(
            TemplateWarning(
                f"the template's slides change with each prospect, so {' and '.join(parts)} are left out of "
                "every deck; add them to a finished deck in PowerPoint if you need them",
                file=label,
            )
        )
    if setting:
        found.append(
            TemplateWarning(
                f"the template's slide show is set to show {setting} (Slide Show › Set Up Slide Show); "
                "every deck shows all its slides instead",
                file=label,
            )
        )
    return replaced, found


def _names(names: list[str], limit: int = 5) -> str:
    shown = ", ".join(f"'{n}'" for n in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")
