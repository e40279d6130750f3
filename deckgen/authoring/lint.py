"""``templates lint``: every problem in a template at once, in PowerPoint terms.

Lint reads a template the way the engine does and reports, in PowerPoint terms (slide, shape,
the text around the tag), every problem at once: where compiling stops at the first error,
lint compiles each slide on its own and, when a slide fails, each of its shapes on its own. It
lists every tag (also when PowerPoint split it across runs), slide directive, picture and chart
binding and the variables the template needs, and warns about things that build but look wrong
later: chart bindings without a chart, charts without a binding, pictures almost named like a
binding, AutoFit text boxes, fonts that don't come from the theme, tags on the slide master.
"""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path

from deckgen.authoring.isolate import SlideCompiling, _run_text
from deckgen.authoring.report import SELECTION_PANE, Finding, LintReport, TagUse
from deckgen.authoring.trial import trial_findings
from deckgen.engine.animations import animate_as_one, as_one_message
from deckgen.engine.compile import themed_parts
from deckgen.engine.compiled import PICTURE_BINDINGS
from deckgen.engine.graphics import graphics_warnings, slide_size
from deckgen.engine.master import main_part
from deckgen.engine.opc import (
    CONTENT_TYPES,
    RT_NOTES,
    RT_SLIDE,
    describe_missing_target,
    drop_missing_targets,
    open_package,
    parse_xml,
    q,
    read_rels,
)
from deckgen.engine.shapeids import duplicate_id_message, duplicate_shape_ids
from deckgen.engine.showsettings import show_settings
from deckgen.engine.tags import SHAPE_TAGS, SLIDE_DIRECTIVE_RE, TAG_RE, own_name, run_groups, shape_name
from deckgen.errors import DeckgenError
from deckgen.load.templates import TemplateSpec, load_spec, resolve_template

NO_SLIDES = (
    "the template has no slides: deckgen fills in a template's slides, so add one slide per page of the deck "
    "(Home › New Slide) and type the tags on them; to use this file only for its slide master and layouts, "
    "pass it to build or batch as --master (or make a brand kit from it with brand import)"
)


def lint_template(template: str | Path) -> LintReport:
    """Check a template (bundled name, folder or .pptx/.potx) and report every problem in it.

    Raises InputError only when the template can't be found; everything wrong inside it is a
    :class:`Finding` in the report.
    """
    pptx, spec_path = resolve_template(template)
    return _Linter(pptx, spec_path).run()


class _Linter(SlideCompiling):
    """One lint run over one template: scans every slide, compiles it, collects the findings."""

    def __init__(self, pptx: Path, spec_path: Path | None) -> None:
        self.pptx = pptx
        self.spec_path = spec_path
        self.label = str(pptx)
        self.report = LintReport(self.label)
        self.paragraphs: dict[tuple[int | None, str], list[str]] = {}
        self.chart_frames: list[tuple[int, str, str, bool]] = []  # (slide, name, part, has tags)
        self.variables: set[str] = set()
        self.seen: set[tuple] = set()

    def add(self, level: str, message: str, **where) -> None:
        key = (level, message, where.get("slide"), where.get("shape"), where.get("place"))
        if key in self.seen:
            return
        self.seen.add(key)
        self.report.findings.append(Finding(level, message, **where))

    # ------------------------------------------------------------------ top level
    def run(self) -> LintReport:
        try:
            self.spec = load_spec(self.pptx, self.spec_path)
        except DeckgenError as exc:
            self.add(
                "error",
                (f"{exc.field}: " if exc.field else "") + exc.message,
                place="template.yaml" + (f" line {exc.line}" if exc.line else ""),
            )
            self.spec = TemplateSpec(name=self.pptx.stem)
        try:
            self.pkg = open_package(self.pptx)
            slides = self._slides()
        except DeckgenError as exc:
            self.add("error", exc.message)
            return self.report
        self.report.slide_count = len(slides)
        for part, rel in drop_missing_targets(self.pkg):
            self.add("error", describe_missing_target(part, rel))
        if not slides and not any(f.slide for f in self.report.errors):  # none listed (not: listed but missing)
            self.add("error", NO_SLIDES)
        from deckgen.brand.kit import read_brand

        self.brand, _ = read_brand(None)  # the brand only places logos; any kit checks the same tags
        for number, part in slides:
            try:
                self._scan_slide(number, part)
                self._compile(number, part)
            except DeckgenError as exc:  # a broken part: report it, go on with the next slide
                self.add("error", exc.message, slide=number)
        self._scan_masters()
        self._graphics(slides)
        if not any(f.level == "error" for f in self.report.findings):
            # It compiles: does it also build for a sparse CRM row and for each bundled example?
            for finding in trial_findings(self.pptx.parent if self.spec_path else self.pptx):
                self.add(finding.level, finding.message, slide=finding.slide, shape=finding.shape, text=finding.text)
        self._check_chart_bindings()
        self._surrounding_text()
        self.report.variables = _needed(self.variables)
        self.report.findings.sort(key=lambda f: (f.level != "error", f.slide or 0))
        return self.report

    def _slides(self) -> list[tuple[int, str]]:
        main = main_part(self.pkg)
        rels = read_rels(self.pkg, {}, main)
        if any(r.external for r in rels):
            self.add("error", "the presentation links to an external file; remove the link")
        by_rid = {r.rid: r for r in rels}
        pres = parse_xml(self.pkg.read(main), main, self.label)
        for warning in show_settings(self.pkg, pres, rels, self.label)[1]:
            self.add("warning", warning.message)
        lst = pres.find(q("p:sldIdLst"))
        out = []
        for number, sld in enumerate(lst if lst is not None else [], start=1):
            rel = by_rid.get(sld.get(q("r:id")))
            if rel is None or rel.type != RT_SLIDE or rel.target not in self.pkg:
                self.add("error", "this slide is missing from the file; save it again from PowerPoint", slide=number)
                continue
            out.append((number, rel.target))
        return out

    # ------------------------------------------------------------------ what is on each slide
    def _scan_slide(self, number: int, part: str) -> None:
        root = parse_xml(self.pkg.read(part), part, self.label)
        self._scan_text(root, number, shape_name)
        for shape_id, names in duplicate_shape_ids(root):
            self.add("warning", duplicate_id_message(shape_id, names), slide=number, shape=names[1])
        for name in animate_as_one(root):  # as a build does (deckgen.engine.animations)
            self.add("warning", as_one_message(), slide=number, shape=name)
        if root.get("show") in ("0", "false"):
            self.add(
                "warning",
                "this slide is hidden (Slide Show › Hide Slide): every deck carries it, hidden, and whoever "
                "receives the deck can show it or see it in the slide sorter; delete it, or keep it only when "
                "it should go out with {%slide if … %}",
                slide=number,
            )
        rels = {r.rid: r for r in read_rels(self.pkg, {}, part)}
        if any(r.type.endswith("/comments") for r in rels.values()):
            self.add(
                "warning",
                "this slide has review comments; they are left out of every deck (nobody outside sees them)",
                slide=number,
            )
        for r in rels.values():
            if r.type == RT_NOTES and r.target in self.pkg:
                self._scan_text(
                    parse_xml(self.pkg.read(r.target), r.target, self.label), number, lambda p: "speaker notes"
                )
        for el in root.iter(*SHAPE_TAGS):
            name = own_name(el)
            if el.tag == q("p:pic"):
                self._picture(el, number, name)
            elif el.tag == q("p:sp"):
                self._shape(el, number, name)
            chart = el.find(f".//{q('c:chart')}") if el.tag == q("p:graphicFrame") else None
            if chart is not None:
                rel = rels.get(chart.get(q("r:id")))
                if rel is not None and rel.target in self.pkg:
                    croot = parse_xml(self.pkg.read(rel.target), rel.target, self.label)
                    tags = self._scan_text(croot, number, lambda p, s=name: f"{s} (chart)")
                    self.chart_frames.append((number, name, rel.target, tags))
        self._fonts(root, number)

    def _scan_text(self, root, number: int | None, shape_of, place: str | None = None) -> bool:
        """Record every tag in a part's paragraphs; True if there was any."""
        found = False
        for p in root.iter(q("a:p")):
            shape = shape_of(p)
            for group in run_groups(p):
                texts = [_run_text(r) for r in group]
                joined = "".join(texts)
                if "{" not in joined:
                    continue
                self.paragraphs.setdefault((number, shape), []).append(joined)
                bounds = []
                pos = 0
                for t in texts:
                    bounds.append((pos, pos + len(t)))
                    pos += len(t)
                for m in TAG_RE.finditer(joined):
                    found = True
                    runs = sum(1 for a, b in bounds if a < m.end() and b > m.start())
                    if place:
                        self.add(
                            "warning",
                            f"the tag {m.group(0)} is on {place}, where deckgen doesn't fill tags "
                            "in; type it on the slides instead",
                            place=place,
                            shape=shape,
                        )
                        continue
                    self.report.tags.append(TagUse(number, shape, m.group(0), runs))
                    if SLIDE_DIRECTIVE_RE.match(m.group(0)):
                        self.report.directives.append((number, shape, m.group(0)))
        return found

    def _picture(self, pic, number: int, name: str) -> None:
        c_nv = pic.find(f"{q('p:nvPicPr')}/{q('p:cNvPr')}")
        values = [c_nv.get("name", ""), c_nv.get("descr", "")] if c_nv is not None else []
        exact = next((v.strip() for v in values if v.strip() in PICTURE_BINDINGS), None)
        if exact:
            self.report.pictures.append((number, name, exact))
            return
        for value in values:
            near = _near_binding(value)
            if near:
                self.add(
                    "warning",
                    f"this picture is named '{value}', close to '{near}': only a picture named "
                    f"exactly '{near}' (lower case, in {SELECTION_PANE}, or with that alt text) is "
                    "replaced — rename it if it should be",
                    slide=number,
                    shape=name,
                )
                return

    def _shape(self, sp, number: int, name: str) -> None:
        if name.strip() in PICTURE_BINDINGS:
            self.add(
                "warning",
                f"this shape is named '{name.strip()}' but is not a picture, so it is left as it is: "
                "insert a picture (Insert › Pictures) and give it that name instead",
                slide=number,
                shape=name,
            )
        body = sp.find(q("p:txBody"))
        if body is None:
            return
        text = "".join(t.text or "" for t in body.iter(q("a:t")))
        body_pr = body.find(q("a:bodyPr"))
        if "{" not in text or body_pr is None:
            return
        # 'Resize shape to fit text' (spAutoFit) is PowerPoint's default and harmless: the box grows. 'Shrink
        # text on overflow' stores the shrunken size, which goes stale once deckgen fills in the text.
        if body_pr.find(q("a:normAutofit")) is not None:
            self.add(
                "warning",
                "this text box has AutoFit 'Shrink text on overflow' on: PowerPoint stores the "
                "shrunken size when you save and only redoes it when someone edits the text, so filled-in "
                "text can show at different sizes in PowerPoint, LibreOffice and PDF — choose 'Do not "
                "Autofit' (Format Shape › Text Options › Text Box); deckgen shrinks text that doesn't fit "
                "itself (fit: in template.yaml)",
                slide=number,
                shape=name,
            )

    def _fonts(self, root, number: int) -> None:
        by_shape: dict[str, list[str]] = {}
        for el in root.iter(q("a:latin"), q("a:ea")):
            face = el.get("typeface", "")
            if not face or face.startswith("+"):
                continue
            shape = shape_name(el)
            fonts = by_shape.setdefault(shape, [])
            if face not in fonts:
                fonts.append(face)
        for shape, fonts in by_shape.items():
            names = ", ".join(f"'{f}'" for f in fonts)
            self.add(
                "warning",
                f"uses the font {names} directly, so brand kits can't change it: select the text "
                "and pick a theme font (the two marked Headings and Body at the top of the font list)",
                slide=number,
                shape=shape or None,
            )

    def _scan_masters(self) -> None:
        for name in sorted(self.pkg.names()):
            m = re.fullmatch(r"ppt/slide(Master|Layout)s/slide(?:Master|Layout)\d+\.xml", name)
            if not m:
                continue
            data = self.pkg.read(name)
            if b"{{" not in data and b"{%" not in data:
                continue
            root = parse_xml(data, name, self.label)
            if m.group(1) == "Master":
                place = "the slide master"
            else:
                c_sld = root.find(q("p:cSld"))
                place = f"layout '{c_sld.get('name', '') if c_sld is not None else ''}'"
            self._scan_text(root, None, shape_name, place=place)

    def _graphics(self, slides: list[tuple[int, str]]) -> None:
        """Master and layout graphics over slide content, and logos that barely show: what build warns about."""
        try:
            ct = parse_xml(self.pkg.read(CONTENT_TYPES), CONTENT_TYPES, self.label)
            main = main_part(self.pkg)
            size = slide_size(parse_xml(self.pkg.read(main), main, self.label))
            replaced = themed_parts(self.pkg, ct, self.brand.theme())
            logos = {"logo": self.brand.logo, "logo_dark": self.brand.logo_dark}
            found = graphics_warnings(self.pkg, replaced, {}, slides, logos, self.label, size)
        except DeckgenError:
            return  # a broken part: reported where the slides are scanned
        for w in found:
            one = len(w.slides) == 1
            self.add(
                "warning",
                w.message,
                slide=w.slides[0] if one else None,
                place=None if one else w.on_slides(),
                shape=w.shape,
            )

    # ------------------------------------------------------------------ charts and wrap-up
    def _check_chart_bindings(self) -> None:
        names = [name for _, name, _, _ in self.chart_frames]
        for number, name, _, has_tags in self.chart_frames:
            if name in self.spec.charts:
                self.report.charts.append((number, name, self.spec.charts[name]))
            elif not has_tags:
                self.report.charts.append((number, name, ""))
                self.add(
                    "warning",
                    "this chart is not bound in template.yaml, so every deck shows the sample "
                    f"numbers typed in PowerPoint; bind it under charts:, e.g.  {_yaml_key(name)}: "
                    "charts.NAME",
                    slide=number,
                    shape=name,
                )
        for name, expression in self.spec.charts.items():
            if name in names:
                continue
            close = difflib.get_close_matches(name, names, n=1)
            hint = f" — did you mean '{close[0]}'?" if close else ""
            self.add(
                "warning",
                f"charts: binds '{name}' ({expression}) but no slide has a chart with that name"
                f"{hint} (see the chart names in {SELECTION_PANE})",
                place="template.yaml",
            )

    def _surrounding_text(self) -> None:
        """Show the whole paragraph the author typed, not just the tag."""
        for f in self.report.findings:
            if f.slide is None or not f.shape:
                continue
            paragraphs = self.paragraphs.get((f.slide, f.shape), [])
            probe = [f.text.strip()] if f.text else []
            probe += re.findall(r"'([^']+)'", f.message)
            for needle in probe:
                hit = next((p for p in paragraphs if needle and needle in p), None)
                if hit:
                    f.text = hit
                    break


# --------------------------------------------------------------------------- helpers


def _near_binding(value: str) -> str | None:
    """The binding name a picture name was probably meant to be ('Logo 2' → 'logo'), else None."""
    if not value.strip() or value.strip() in PICTURE_BINDINGS:
        return None
    norm = re.sub(r"[\s_-]+", "_", value.strip().lower())
    norm = re.sub(r"_?\d+$", "", norm)
    if norm in PICTURE_BINDINGS:
        return norm
    close = difflib.get_close_matches(norm, PICTURE_BINDINGS, n=1, cutoff=0.85)
    return close[0] if close else None


def _yaml_key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z_][\w-]*", name) else json.dumps(name)


def _needed(paths: set[str]) -> list[str]:
    """Variables to list: the longest paths used (``prospect`` goes when ``prospect.company`` is listed)."""
    return [path for path in sorted(paths) if not any(p.startswith(path + ".") for p in paths)]


__all__ = ["lint_template"]
