"""The ``templates lint`` report: what was found in a template, and the text the CLI prints for it."""

from __future__ import annotations

from dataclasses import dataclass, field

SELECTION_PANE = "Home › Arrange › Selection Pane"  # where PowerPoint shows (and renames) shapes


@dataclass
class Finding:
    """One problem: an error stops a build, a warning is worth a look."""

    level: str  # "error" | "warning"
    message: str
    slide: int | None = None
    shape: str | None = None
    text: str | None = None  # the text around the tag, as typed in PowerPoint
    place: str | None = None  # where, when not a slide: "template.yaml", "the slide master", …

    def where(self) -> str:
        """Where the problem is, in PowerPoint terms ('slide 2, shape 'Title''), or ''."""
        parts = []
        if self.place:
            parts.append(self.place)
        if self.slide is not None:
            parts.append(f"slide {self.slide}")
        if self.shape:
            parts.append(self.shape if self.shape == "speaker notes" else f"shape '{self.shape}'")
        return ", ".join(parts)


@dataclass
class TagUse:
    """One tag as typed on a slide."""

    slide: int | None
    shape: str
    tag: str
    runs: int  # how many runs PowerPoint split it into


@dataclass
class LintReport:
    """Everything ``templates lint`` found in one template."""

    template: str
    slide_count: int = 0
    findings: list[Finding] = field(default_factory=list)
    tags: list[TagUse] = field(default_factory=list)
    directives: list[tuple[int, str, str]] = field(default_factory=list)  # (slide, shape, text)
    pictures: list[tuple[int | None, str, str]] = field(default_factory=list)  # (slide, shape, binding)
    charts: list[tuple[int, str, str]] = field(default_factory=list)  # (slide, shape, expression or "")
    variables: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        """The findings that stop a build."""
        return [f for f in self.findings if f.level == "error"]

    @property
    def warnings(self) -> list[Finding]:
        """The findings worth a look."""
        return [f for f in self.findings if f.level == "warning"]

    @property
    def ok(self) -> bool:
        """True when nothing stops a build."""
        return not self.errors


def _shape_label(shape: str) -> str:
    """A shape as the report names it: quoted, except the speaker notes."""
    return shape if shape == "speaker notes" else f"'{shape}'"


def format_report(report: LintReport, all_tags: bool = False) -> str:
    """The lint report as the CLI prints it; ``all_tags`` lists every tag, not only split ones."""
    lines = [f"Checked {report.template}: {report.slide_count} slide{'s' if report.slide_count != 1 else ''}"]
    for title, items in (("Errors", report.errors), ("Warnings", report.warnings)):
        if not items:
            continue
        lines.append("")
        lines.append(f"{title} ({len(items)}):")
        for f in items:
            where = f.where()
            lines.append(f"  {where + ': ' if where else ''}{f.message}")
            if f.text:
                text = f.text if len(f.text) <= 160 else f.text[:157] + "…"
                lines.append(f"      text: {text}")
    if report.tags:
        split = [t for t in report.tags if t.runs > 1]
        on = len({t.slide for t in report.tags})
        lines.append("")
        note = f"; {len(split)} split across runs by PowerPoint (that's fine, they work)" if split else ""
        lines.append(
            f"Tags: {len(report.tags)} on {on} slide{'s' if on != 1 else ''}{note}"
            + ("" if all_tags else " (--tags lists them)")
        )
        for t in report.tags if all_tags else split:
            runs = f"  (split over {t.runs} runs)" if t.runs > 1 else ""
            lines.append(f"  slide {t.slide}, {_shape_label(t.shape)}: {t.tag}{runs}")
    if report.directives:
        lines.append("")
        lines.append("Slide directives:")
        lines += [f"  slide {s}: {text}  ({_shape_label(shape)})" for s, shape, text in report.directives]
    if report.pictures:
        lines.append("")
        lines.append("Pictures replaced when a deck is built:")
        what = {
            "logo": "the brand's logo",
            "logo_dark": "the brand's logo for dark backgrounds",
            "prospect_logo": "the prospect's logo (hidden when it has none)",
        }
        lines += [f"  slide {s}, '{shape}': {what[b]}" for s, shape, b in report.pictures]
    if report.charts:
        lines.append("")
        lines.append("Charts:")
        lines += [
            f"  slide {s}, '{shape}' ← {expr or 'not bound (sample numbers)'}" for s, shape, expr in report.charts
        ]
    if report.variables:
        lines.append("")
        lines.append("Variables this template needs:")
        lines += [f"  {v}" for v in report.variables]
    lines.append("")
    if report.errors:
        lines.append(
            f"{len(report.errors)} error{'s' if len(report.errors) != 1 else ''}, "
            f"{len(report.warnings)} warning{'s' if len(report.warnings) != 1 else ''}: fix the errors in "
            f"PowerPoint, save, and lint again. Shape names: {SELECTION_PANE}."
        )
    else:
        lines.append(
            f"No errors, {len(report.warnings)} warning{'s' if len(report.warnings) != 1 else ''}: "
            "the template is ready to build."
        )
    return "\n".join(lines)


__all__ = ["Finding", "TagUse", "LintReport", "format_report", "SELECTION_PANE"]
