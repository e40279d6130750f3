"""Tags typed on a slide master or a layout, which deckgen does not fill in.

A company's technical person often types ``{{ prospect.company }}`` into the master's footer band.
Those parts are the same in every deck, so the tag would reach each customer as typed; a build
says so (as ``templates lint`` does), naming the master or layout and the shape.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from deckgen.engine.opc import q
from deckgen.engine.safety import parse_xml
from deckgen.engine.tags import TAG_RE, shape_name
from deckgen.errors import TemplateWarning

_MASTER_OR_LAYOUT = re.compile(r"ppt/slide(Master|Layout)s/slide(?:Master|Layout)\d+\.xml")


def master_tag_warnings(names: list[str], read: Callable[[str], bytes], label: str) -> list[TemplateWarning]:
    """One warning per shape of a slide master or layout whose text holds a tag."""
    found = []
    for name in sorted(names):
        m = _MASTER_OR_LAYOUT.fullmatch(name)
        if not m:
            continue
        data = read(name)
        if b"{{" not in data and b"{%" not in data:
            continue
        root = parse_xml(data, name, label)
        if m.group(1) == "Master":
            place = "the slide master"
        else:
            c_sld = root.find(q("p:cSld"))
            place = f"layout '{c_sld.get('name', '') if c_sld is not None else ''}'"
        tags: dict[str, list[str]] = {}
        for p in root.iter(q("a:p")):
            text = "".join(t.text or "" for t in p.iter(q("a:t")))
            for tag in TAG_RE.findall(text):
                tags.setdefault(shape_name(p), []).append(tag)
        for shape, typed in tags.items():
            where = f"{place}, shape '{shape}'" if shape else place
            found.append(
                TemplateWarning(
                    f"{where}: {', '.join(dict.fromkeys(typed))} is on {place}, where deckgen doesn't fill tags "
                    "in, so every deck shows it as typed; type it on the slides instead (View › Slide Master)",
                    file=label,
                )
            )
    return found
