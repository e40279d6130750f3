"""Commands for people who make templates and brand kits: ``templates new|lint`` and ``brand …``.

Registered onto the main CLI by :func:`deckgen.cli._register_commands`. Like the rest of the CLI,
these only parse options, call the library (:mod:`deckgen.authoring.lint`, :mod:`deckgen.brand.tools`)
and print what happened.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from deckgen.cli.main import DeckgenGroup, cli, templates


def _warn(lines: list[str]) -> None:
    for line in lines:
        click.echo(f"Warning: {line}", err=True)


# --------------------------------------------------------------------------- templates new / lint

@templates.command("new")
@click.argument("name")
@click.option("--from", "source", metavar="NAME|PATH", default="walk-away", show_default=True,
              help="The template to start from: a bundled name, or a template folder or .pptx/.potx.")
@click.option("--dir", "folder", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              help="Where to create the NAME folder. Default: the current folder.")
def templates_new(name: str, source: str, folder: Path) -> None:
    """Copy a template into NAME/ so you can change its design in PowerPoint."""
    from deckgen.authoring.lint import new_template

    made = new_template(name, source, folder)
    click.echo(f"Created {made.folder}/ from '{made.source}':")
    click.echo(f"  {made.package}   open it in PowerPoint and change the design; keep the {{{{ tags }}}}")
    click.echo(f"  {made.spec}   its name, description and chart bindings")
    click.echo("Next:")
    potx = made.package.suffix == ".potx"
    opener = " (File › Open: double-clicking a .potx starts a new presentation)" if potx else ""
    click.echo(f"  1. Edit {made.package} in PowerPoint and save it{opener}")
    click.echo(f"  2. deckgen templates lint {made.folder}")
    click.echo(f"  3. deckgen build --profile PROFILE.yaml --prospect PROSPECT.yaml --template {made.folder} "
               "--out test.pptx")
    click.echo("  The guide: docs/templates.md (every tag, with examples and the common mistakes)")


@templates.command("lint")
@click.argument("template", metavar="NAME|PATH")
@click.option("--tags", "all_tags", is_flag=True, help="List every tag with its slide and shape.")
def templates_lint(template: str, all_tags: bool) -> None:
    """Check every tag, directive, picture and chart of a template; exit 1 on any error."""
    from deckgen.authoring.lint import format_report, lint_template

    report = lint_template(template)
    click.echo(format_report(report, all_tags))
    if not report.ok:
        sys.exit(1)


# --------------------------------------------------------------------------- brand

@cli.group(cls=DeckgenGroup)
def brand() -> None:
    """Make and check brand kits: colours, fonts and logo."""


def _out_option(f):
    return click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=Path("brand"),
                        show_default=True, help="Folder that holds brand kits; the kit goes in OUT/NAME/.")(f)


def _force_option(f):
    return click.option("--force", is_flag=True, help="Replace a brand kit of that name.")(f)


def _show_colors(folder: Path, colors: dict[str, str], origins: dict[str, str]) -> None:
    from deckgen.brand.tools import ROLES

    click.echo(f"Wrote {folder / 'brand.yaml'}")
    for role in ROLES:
        if colors.get(role):
            why = origins.get(role, "")
            click.echo(f"  {role:<11} #{colors[role]}" + (f"  {why}" if why else ""))


@brand.command("import")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--name", required=True, help="The kit's name (its folder is this name in lower case).")
@_out_option
@_force_option
def brand_import(source: Path, name: str, out: Path, force: bool) -> None:
    """Make a brand kit from a PowerPoint template's theme colours, fonts and logo (.potx or .pptx)."""
    from deckgen.brand.tools import import_brand

    folder, draft = import_brand(source, name, out, force)
    _show_colors(folder, draft.colors, draft.origins)
    f = draft.fonts
    click.echo(f"  fonts       heading {f['heading']}, body {f['body']}, East Asian {f['east_asian']}")
    click.echo(f"  logo        {folder / 'logo.png'} ({draft.logo_origin})" if draft.logo else "  logo        none")
    for note in draft.notes:
        click.echo(f"  note: {note}")
    _warn(draft.warnings)
    click.echo(f"Next: deckgen brand show {folder} --out {folder.name}-swatch.png")


@brand.command("init")
@click.option("--logo", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Your logo (PNG or JPEG).")
@click.option("--name", required=True, help="The kit's name (its folder is this name in lower case).")
@click.option("--heading", metavar="FONT", help="Heading font. Default: Carlito (metric-compatible with Calibri).")
@click.option("--body", metavar="FONT", help="Body font. Default: Carlito.")
@_out_option
@_force_option
def brand_init(logo: Path, name: str, heading: str | None, body: str | None, out: Path, force: bool) -> None:
    """Make a brand kit from a logo: a palette from its colours with readable (WCAG AA) text."""
    from deckgen.brand.tools import init_brand

    folder, draft, palette = init_brand(logo, name, out, heading, body, force)
    _show_colors(folder, draft.colors, draft.origins)
    click.echo("  contrast:")
    for check in palette.checks:
        click.echo(f"    {check.describe()}")
    for note in draft.notes:
        click.echo(f"  note: {note}")
    if draft.logo_dark is not None:
        click.echo(f"  logo_dark   {folder / 'logo-dark.png'} (a white version; use your designer's if you have one)")
    _warn(draft.warnings)
    click.echo(f"Next: deckgen brand show {folder} --out {folder.name}-swatch.png")


@brand.command("show")
@click.argument("kit", metavar="NAME|PATH")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Swatch image to write. Default: NAME-swatch.png in the current folder.")
def brand_show(kit: str, out: Path | None) -> None:
    """Draw a brand kit: colours with their roles, fonts, logo on light and dark, contrast ratios."""
    from deckgen.brand.kit import load_brand
    from deckgen.brand.tools import contrast_checks, write_swatch

    warnings: list[str] = []
    loaded = load_brand(kit, warnings)
    target = out or Path(f"{loaded.folder.name}-swatch.png")
    if target.suffix.lower() != ".png":
        raise click.BadParameter("the swatch is a .png file", param_hint="--out")
    write_swatch(loaded, target)
    click.echo(f"{loaded.kit.name} ({loaded.folder})")
    colors = {k: v for k, v in loaded.kit.colors.model_dump().items() if v}
    failed = []
    for check in contrast_checks(colors):
        click.echo(f"  {check.describe()}")
        if not check.passes:
            failed.append(check.describe())
    f = loaded.kit.fonts
    click.echo(f"  fonts: heading {f.heading}, body {f.body}, East Asian {f.east_asian}")
    click.echo(f"Wrote {target}")
    _warn(warnings + [f"below WCAG AA contrast: {d}" for d in failed])


@brand.command("list")
def brand_list() -> None:
    """List the bundled brand kits."""
    from deckgen.brand.tools import list_brands

    for folder, kit in list_brands():
        click.echo(f"{folder:<14} {kit.name:<30} primary #{kit.colors.primary}  fonts {kit.fonts.heading} / "
                   f"{kit.fonts.body}")
