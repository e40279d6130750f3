"""Putting a template's slides on a corporate slide master (``--master corp.potx``).

Most MSPs have a PowerPoint template their designer made: backgrounds, footers, logo placement,
all on its slide master and layouts. :func:`apply_master` takes the template package and the
corporate package and returns a new one in which the template's slide masters, layouts and their
theme and pictures are replaced by the corporate file's (its slides are ignored); each template
slide moves onto the corporate layout with the same name, else the one whose placeholders fit best,
with a warning naming the slide. The compiler then runs on that package as on any other, so tags,
brand theming and rendering are unchanged. (The brand read from a master, for ``--master`` without
``--brand``, is :func:`deckgen.brand.master.master_brand`.)
"""

from __future__ import annotations

import posixpath
import re

from lxml import etree

import deckgen.engine.opc as opc
from deckgen.engine import safety
from deckgen.engine.layouts import _describe, _Layout, _layout, _match, _placeholders, _renumber_placeholders
from deckgen.engine.opc import (
    RT_HYPERLINK,
    RT_LAYOUT,
    RT_MASTER,
    RT_NOTES,
    RT_SLIDE,
    RT_THEME,
    Member,
    Package,
    Rel,
    new_member,
    parse_xml,
    q,
    read_rels,
    rels_name,
    rels_xml,
    to_bytes,
)
from deckgen.engine.scaling import scale_factors, scale_part
from deckgen.errors import DeckgenWarning, InputError, TemplateWarning, UnsafeInputError

_NOT_FOLLOWED = {RT_SLIDE, RT_NOTES, opc.RT + "notesMaster", opc.RT + "handoutMaster"}
_IMAGE_TYPES = {
    "png": "image/png",
    "jpeg": "image/jpeg",
    "jpg": "image/jpeg",
    "gif": "image/gif",
    "emf": "image/x-emf",
    "wmf": "image/x-wmf",
    "svg": "image/svg+xml",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "bmp": "image/bmp",
}
_CT_OVERRIDE, _CT_DEFAULT = q("ct:Override"), q("ct:Default")
_SCALED_PARTS = re.compile(r"ppt/slide(Master|Layout)s/slide(Master|Layout)\d+\.xml$")


def main_part(pkg: Package) -> str:
    """The presentation part of a package; InputError when it isn't a PowerPoint file."""
    return opc.main_part(pkg, InputError)


def open_master(path) -> Package:
    """Open a corporate file (``--master``, ``brand import``) whose slides are thrown away.

    Every package check applies, except that an outside link on a slide (or in a part only a slide
    uses) does not refuse the file: those parts never reach a deck. Links in the masters, layouts,
    themes and the presentation itself follow the usual policy, and macros are refused anywhere.
    """
    pkg = opc.open_package(path, refuse_active_content=False)
    safety.check_content_types(pkg)
    if any(n.lower().endswith(safety.MACRO_MEMBER_NAMES) for n in pkg.names()):
        raise UnsafeInputError(
            "the file contains macros (vbaProject.bin); save it as a .pptx or .potx without macros", file=pkg.source
        )
    safety.check_xml_members(pkg)
    safety.check_relationships(pkg, only=kept_parts(pkg))
    return pkg


def kept_parts(pkg: Package) -> set[str]:
    """'' and every part reachable from the package's relationships without going through a slide or notes."""
    kept, todo = {""}, [""]
    while todo:
        part = todo.pop()
        for rel in read_rels(pkg, {}, part):
            if rel.external or rel.type in _NOT_FOLLOWED or rel.target in kept or rel.target not in pkg:
                continue
            kept.add(rel.target)
            todo.append(rel.target)
    return kept


def master_parts(pkg: Package) -> list[str]:
    """The package's slide masters, in the order the presentation lists them."""
    main = main_part(pkg)
    rels = {r.rid: r for r in read_rels(pkg, {}, main)}
    pres = parse_xml(pkg.read(main), main, pkg.source)
    out = []
    lst = pres.find(q("p:sldMasterIdLst"))
    for el in lst if lst is not None else []:
        rel = rels.get(el.get(q("r:id")))
        if rel is not None and not rel.external and rel.target in pkg:
            out.append(rel.target)
    return out


def apply_master(pkg: Package, master: Package, label: str) -> tuple[Package, list[DeckgenWarning]]:
    """Return ``pkg`` with its slide masters and layouts replaced by those of ``master`` (a file named ``label``).

    The warnings say which slides moved onto a layout of another name, or that the slide sizes
    differ. Raises InputError for an unusable master.
    """
    warnings: list[str] = []
    merged = _Merge(pkg, master, label, warnings).run()
    return merged, [TemplateWarning(w) for w in warnings]


def _free_name(name: str, used: set[str]) -> str:
    if name.lower() not in used:
        return name
    folder, base = posixpath.split(name)
    m = re.match(r"^(.*?)(\d*)(\.[^.]*)?$", base)
    stem, ext = m.group(1), m.group(3) or ""
    n = 1
    while posixpath.join(folder, f"{stem}{n}{ext}").lower() in used:
        n += 1
    return posixpath.join(folder, f"{stem}{n}{ext}")


# --------------------------------------------------------------------------- the merge


class _Merge:
    def __init__(self, pkg: Package, source: Package, label: str, warnings: list[str]) -> None:
        self.pkg = pkg
        self.src = source
        self.label = label
        self.warnings = warnings

    def rels(self, pkg: Package, part: str) -> list[Rel]:
        return read_rels(pkg, {}, part)

    def run(self) -> Package:
        main = main_part(self.pkg)
        pres = parse_xml(self.pkg.read(main), main, self.pkg.source)
        pres_rels = self.rels(self.pkg, main)
        try:
            src_main = main_part(self.src)
            src_masters = master_parts(self.src)
        except InputError:
            raise InputError("--master is not a PowerPoint file (no presentation part)", file=self.label) from None
        if not src_masters:
            raise InputError("the file has no slide master", file=self.label)
        src_pres = parse_xml(self.src.read(src_main), src_main, self.label)

        removed = self._template_master_parts(main, pres_rels)
        imported = self._closure(src_masters)
        used = {n.lower() for n in self.pkg.names() if n not in removed}
        names: dict[str, str] = {}
        for part in imported:
            names[part] = _free_name(part, used)
            used.add(names[part].lower())
            used.add(rels_name(names[part]).lower())

        layouts = self._source_layouts(src_masters)
        members: dict[str, Member] = {}
        changed = self._move_slides(pres, pres_rels, main, layouts, names)
        changed[main], changed[rels_name(main)] = self._presentation(
            pres, pres_rels, main, src_pres, src_main, src_masters, names
        )
        changed["[Content_Types].xml"] = self._content_types(removed, imported, names)
        for name in self.pkg.names():
            if name in removed:
                continue
            members[name] = new_member(name, changed[name]) if name in changed else self.pkg.members[name]
        factors = self._check_size(pres, src_pres)
        for part in imported:
            members[names[part]] = self.src.members[part]
            if factors and _SCALED_PARTS.match(part):
                scaled = scale_part(self.src.read(part), part, self.label, *factors)
                members[names[part]] = new_member(names[part], scaled)
            if rels_name(part) in self.src:
                members[rels_name(names[part])] = new_member(rels_name(names[part]), self._moved_rels(part, names))
        return Package(members, self.pkg.source)

    # ------------------------------------------------------------------ what goes, what comes
    def _template_master_parts(self, main: str, pres_rels) -> set[str]:
        """The template's masters, layouts and what only they use (their theme, pictures), with rels."""
        masters = [r.target for r in pres_rels if r.type == RT_MASTER and not r.external]
        closure = set(self._closure(masters, self.pkg, strict=False))
        kept: set[str] = set()
        todo = [r.target for r in self.rels(self.pkg, "") if not r.external]
        while todo:
            part = todo.pop()
            if part in kept or part not in self.pkg:
                continue
            kept.add(part)
            for rel in self.rels(self.pkg, part):
                if rel.external or rel.type in (RT_MASTER, RT_LAYOUT) or (part == main and rel.type == RT_THEME):
                    continue
                todo.append(rel.target)
        gone = closure - kept
        return gone | {rels_name(p) for p in gone if rels_name(p) in self.pkg}

    def _closure(self, masters: list[str], pkg: Package | None = None, strict: bool = True) -> list[str]:
        """Every part the masters reach through their relationships (layouts, theme, media…), in order."""
        pkg = pkg or self.src
        order: list[str] = []
        seen: set[str] = set()
        todo = list(masters)
        while todo:
            part = todo.pop(0)
            if part in seen or part not in pkg:
                continue
            seen.add(part)
            order.append(part)
            for rel in self.rels(pkg, part):
                if rel.external:
                    if strict and rel.type != RT_HYPERLINK:
                        raise InputError(
                            f"the slide master links to an external file ({rel.target}); embed it "
                            "in PowerPoint or remove the link, then save again",
                            file=self.label,
                        )
                    continue
                if rel.type in _NOT_FOLLOWED:
                    if strict:
                        raise InputError(
                            "a link or action on the slide master points at a slide; remove it "
                            "(View › Slide Master), then save again",
                            file=self.label,
                        )
                    continue
                todo.append(rel.target)
        return order

    def _source_layouts(self, masters: list[str]) -> list[_Layout]:
        out: list[_Layout] = []
        for master in masters:
            root = parse_xml(self.src.read(master), master, self.label)
            by_rid = {r.rid: r for r in self.rels(self.src, master)}
            lst = root.find(q("p:sldLayoutIdLst"))
            for el in lst if lst is not None else []:
                rel = by_rid.get(el.get(q("r:id")))
                if rel is not None and rel.type == RT_LAYOUT and rel.target in self.src:
                    out.append(_layout(self.src, rel.target, len(out)))
        if not out:
            raise InputError("the slide master has no layouts", file=self.label)
        return out

    # ------------------------------------------------------------------ slides onto layouts
    def _move_slides(self, pres, pres_rels, main: str, layouts: list[_Layout], names: dict) -> dict[str, bytes]:
        by_rid = {r.rid: r for r in pres_rels}
        changed: dict[str, bytes] = {}
        unmatched: dict[tuple[str, str, str], list[int]] = {}
        lst = pres.find(q("p:sldIdLst"))
        for number, sld in enumerate(lst if lst is not None else [], start=1):
            rel = by_rid.get(sld.get(q("r:id")))
            if rel is None or rel.type != RT_SLIDE or rel.target not in self.pkg:
                continue
            slide = rel.target
            rels = self.rels(self.pkg, slide)
            layout_rel = next((r for r in rels if r.type == RT_LAYOUT and not r.external), None)
            root = parse_xml(self.pkg.read(slide), slide, self.pkg.source)
            own = _layout(self.pkg, layout_rel.target, 0) if layout_rel and layout_rel.target in self.pkg else None
            placeholders = _placeholders(root)
            target, how, missing = _match(own, placeholders, layouts)
            if how != "name":
                key = (own.name if own else "", target.name, ", ".join(missing))
                unmatched.setdefault(key, []).append(number)
            if layout_rel is None:
                continue
            layout_rel.target = names[target.part]
            changed[rels_name(slide)] = rels_xml(slide, rels)
            if _renumber_placeholders(placeholders, target):
                changed[slide] = to_bytes(root)
        for (own_name, fallback, missing), numbers in unmatched.items():
            which = ("slide " if len(numbers) == 1 else "slides ") + ", ".join(map(str, numbers))
            asked = f"no layout named '{own_name}'" if own_name else "no matching layout"
            text = f"{which}: {self.label} has {asked}; using its layout '{fallback}' instead"
            if missing:
                text += f" (it has no {missing} placeholder, so that text keeps the slide's own position)"
            self.warnings.append(text)
        return changed

    # ------------------------------------------------------------------ package bookkeeping
    def _presentation(
        self, pres, pres_rels, main: str, src_pres, src_main: str, src_masters: list[str], names: dict
    ) -> tuple[bytes, bytes]:
        kept = [r for r in pres_rels if r.type not in (RT_MASTER, RT_THEME)]
        used = {int(m.group(1)) for r in pres_rels if (m := re.fullmatch(r"rId(\d+)", r.rid))}
        next_id = max(used, default=0) + 1
        src_by_rid = {r.rid: r for r in self.rels(self.src, src_main)}
        src_ids = {}
        src_lst = src_pres.find(q("p:sldMasterIdLst"))
        for el in src_lst if src_lst is not None else []:
            rel = src_by_rid.get(el.get(q("r:id")))
            if rel is not None:
                src_ids[rel.target] = el.get("id")
        lst = pres.find(q("p:sldMasterIdLst"))
        if lst is None:
            lst = etree.Element(q("p:sldMasterIdLst"))
            pres.insert(0, lst)
        for child in list(lst):
            lst.remove(child)
        added = []
        for master in src_masters:
            rid = f"rId{next_id}"
            next_id += 1
            added.append(Rel(rid, RT_MASTER, names[master]))
            el = etree.SubElement(lst, q("p:sldMasterId"))
            el.set("id", src_ids.get(master) or str(2147483648 + len(added) * 100))
            el.set(q("r:id"), rid)
        theme = next((r.target for r in self.rels(self.src, src_masters[0]) if r.type == RT_THEME), None)
        if theme:
            added.append(Rel(f"rId{next_id}", RT_THEME, names[theme]))
        return to_bytes(pres), rels_xml(main, added + kept)

    def _moved_rels(self, part: str, names: dict) -> bytes:
        moved = [
            Rel(r.rid, r.type, r.target if r.external else names.get(r.target, r.target), r.external)
            for r in self.rels(self.src, part)
        ]
        return rels_xml(names[part], moved)

    def _content_types(self, removed: set[str], imported: list[str], names: dict) -> bytes:
        ct = parse_xml(self.pkg.read("[Content_Types].xml"), "[Content_Types].xml", self.pkg.source)
        src_ct = parse_xml(self.src.read("[Content_Types].xml"), "[Content_Types].xml", self.label)
        src_over = {
            el.get("PartName", "").lstrip("/"): el.get("ContentType") for el in src_ct if el.tag == _CT_OVERRIDE
        }
        src_def = {el.get("Extension", "").lower(): el.get("ContentType") for el in src_ct if el.tag == _CT_DEFAULT}
        for el in list(ct):
            if el.tag == _CT_OVERRIDE and el.get("PartName", "").lstrip("/") in removed:
                ct.remove(el)
        defaults = {el.get("Extension", "").lower() for el in ct if el.tag == _CT_DEFAULT}
        first_override = next((i for i, el in enumerate(ct) if el.tag == _CT_OVERRIDE), len(ct))
        for part in imported:
            if part in src_over:
                el = etree.SubElement(ct, _CT_OVERRIDE)
                el.set("PartName", "/" + names[part])
                el.set("ContentType", src_over[part])
                continue
            ext = posixpath.splitext(part)[1].lstrip(".").lower()
            if ext and ext not in defaults:
                kind = src_def.get(ext) or _IMAGE_TYPES.get(ext)
                if kind:
                    el = etree.Element(_CT_DEFAULT)
                    el.set("Extension", ext)
                    el.set("ContentType", kind)
                    ct.insert(first_override, el)
                    first_override += 1
                    defaults.add(ext)
        return to_bytes(ct)

    def _check_size(self, pres, src_pres) -> tuple[float, float] | None:
        """The factors that scale the master onto the template's slide size, or None when they match."""

        def size(root) -> tuple[int, int] | None:
            el = root.find(q("p:sldSz"))
            cx, cy = (el.get("cx", "0"), el.get("cy", "0")) if el is not None else ("0", "0")
            return (int(cx), int(cy)) if cx.isdigit() and cy.isdigit() else None

        mine, theirs = size(pres), size(src_pres)
        if not mine or not theirs or not all(mine + theirs):
            return None
        if abs(mine[0] - theirs[0]) <= mine[0] / 100 and abs(mine[1] - theirs[1]) <= mine[1] / 100:
            return None
        sx, sy = scale_factors(mine, theirs)
        how = "scaled in proportion" if abs(sx - sy) <= max(sx, sy) / 100 else "stretched to fit (another shape)"
        self.warnings.append(
            f"{self.label} is designed for {_describe(theirs)} slides and the template for {_describe(mine)}; "
            f"its masters and layouts were {how}, so check the logo and footers in the first deck"
        )
        return sx, sy


__all__ = ["apply_master", "kept_parts", "main_part", "master_parts", "open_master", "RT_LAYOUT", "RT_MASTER"]
