"""'By paragraph' animations on a text box whose paragraphs a tag repeats or leaves out.

PowerPoint's effects that build a text box one paragraph at a time name the paragraphs by number
(``p:spTgt/p:txEl/p:pRg st end``). A paragraph ``{% for %}`` or ``{% if %}`` (or a ``{%slide %}``
directive, which is taken out) changes how many paragraphs the box has in each deck: the numbers
would then animate the wrong paragraphs, or name paragraphs past the last one, which PowerPoint
repairs when the deck is opened. Such effects animate the whole text box instead.
"""

from __future__ import annotations

from deckgen.engine.opc import q


def _changes_paragraphs(body) -> bool:
    for p in body.iter(q("a:p")):
        text = "".join(t.text or "" for t in p.iter(q("a:t"))).strip()
        if text.startswith("{%") or text.endswith("%}"):  # a hoisted block or a statement of its own
            return True
    return False


def animate_as_one(root) -> list[str]:
    """Make this slide's by-paragraph effects on changing text boxes animate the whole box; their names."""
    timing = root.find(q("p:timing"))
    if timing is None:
        return []
    changing = {}
    for sp in root.iter(q("p:sp")):
        body, c_nv = sp.find(q("p:txBody")), sp.find(f"{q('p:nvSpPr')}/{q('p:cNvPr')}")
        if body is not None and c_nv is not None and _changes_paragraphs(body):
            changing[c_nv.get("id")] = c_nv.get("name", "")
    done: dict[str, str] = {}
    for target in timing.iter(q("p:spTgt")):
        paragraphs = target.find(q("p:txEl"))
        if target.get("spid") in changing and paragraphs is not None and paragraphs.find(q("p:pRg")) is not None:
            target.remove(paragraphs)
            done[target.get("spid")] = changing[target.get("spid")]
    for build in timing.iter(q("p:bldP")):
        if build.get("spid") in done:
            build.set("build", "whole")
            build.attrib.pop("bldLvl", None)
    return list(done.values())


def as_one_message() -> str:
    return (
        "its paragraphs are animated one at a time (Animations › Effect Options › By paragraph), but a "
        "{% for %}, {% if %} or {%slide %} changes how many paragraphs it has in each deck: deckgen animates "
        "the whole text box at once instead (choose 'As one object' in PowerPoint to say so)"
    )
