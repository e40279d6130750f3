"""``deckgen templates list|show`` and ``deckgen closings list``: what ships with deckgen."""

from __future__ import annotations

from pathlib import Path

import click

from deckgen.cli.app import DeckgenGroup
from deckgen.cli.options import brand_option
from deckgen.errors import InputError


@click.group(
    cls=DeckgenGroup,
    lazy_commands={"new": "deckgen.cli.authoring:templates_new", "lint": "deckgen.cli.authoring:templates_lint"},
)
def templates() -> None:
    """List and inspect deck templates."""


@templates.command("list")
def templates_list() -> None:
    """List the bundled templates."""
    from deckgen.load.templates import list_template_names, load_spec, resolve_template

    for name in list_template_names():
        pptx, spec_path = resolve_template(name)
        spec = load_spec(pptx, spec_path)
        click.echo(f"{name:<16} {spec.description.strip().splitlines()[0] if spec.description else ''}")


@templates.command("show")
@click.argument("template", metavar="NAME|PATH")
@brand_option
def templates_show(template: str, brand: str | None) -> None:
    """Show what a template is for, its slides and every variable it needs."""
    from deckgen.brand.kit import load_brand
    from deckgen.build import compile_template

    compiled = compile_template(template, load_brand(brand))
    spec = compiled.spec
    click.echo(f"{spec.name} — {compiled.source}")
    if spec.description:
        click.echo(spec.description.strip())
    click.echo("\nSlides:")
    for slide in compiled.slides:
        purpose = spec.slides[slide.number - 1] if slide.number <= len(spec.slides) else ""
        directive = f"  [{slide.directive_text}]" if slide.directive_text else ""
        click.echo(f"  {slide.number:>2}. {purpose}{directive}")
    if spec.charts:
        click.echo("\nCharts:")
        for name, expr in spec.charts.items():
            click.echo(f"  {name} ← {expr}")
    click.echo("\nVariables:")
    for var in sorted(compiled.variables):
        click.echo(f"  {var}")


@click.group(cls=DeckgenGroup)
def closings() -> None:
    """The walk-away closing-line library."""


@closings.command("list")
@click.option("--trigger", help="Only lines for this prospect situation (e.g. break_fix, price_shopper).")
@click.option("--tone", type=click.Choice(["calm", "firm", "warm"]), help="Only lines of this tone.")
@click.option(
    "--profile",
    "-p",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Include your profile's own lines (they come first).",
)
def closings_list(trigger: str | None, tone: str | None, profile: Path | None) -> None:
    """List closing lines: id, tone, triggers and text."""
    from deckgen.load.closings import load_library
    from deckgen.load.files import load_profile
    from deckgen.sales.closings import all_lines, filter_lines

    prof = load_profile(profile) if profile else None
    lines = filter_lines(all_lines(prof, load_library()), trigger=trigger, tone=tone)
    if not lines:
        raise InputError(f"no closing line matches trigger '{trigger}'" if trigger else "no closing line matches")
    for line in lines:
        mark = " (yours)" if line.source == "profile" else ""
        click.echo(f"{line.id}{mark}  [{line.tone.value}]  triggers: {', '.join(line.triggers) or '—'}")
        click.echo(f"    {line.text}")
