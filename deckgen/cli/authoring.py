"""Commands for people who make templates and brand kits: ``templates new|lint`` and ``brand …``.

Each command parses its options, calls one library function (:mod:`deckgen.authoring`,
:mod:`deckgen.brand`) and prints what happened. :mod:`deckgen.cli.app` loads the ``brand`` group and
:mod:`deckgen.cli.catalog` the ``templates`` commands from here when they run.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from deckgen.cli.app import DeckgenGroup
from deckgen.cli.output import echo_warnings
from deckgen.errors import ExitCode

# --------------------------------------------------------------------------- templates new / lint


@click.command("new")
@click.argument("name")
@click.option(
    "--from",
    "source",
    metavar="NAME|PATH",
    default="walk-away",
    show_default=True,
    help="The template to start from: a bundled name, or a template folder or .pptx/.potx.",
)
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    help="Where to create the NAME folder. Default: the current folder.",
)
def templates_new(name: str, source: str, folder: Path) -> None:
    """Copy a template into NAME/ so you can change its design in PowerPoint."""
    from deckgen.authoring.new import format_new_template, new_template

    click.echo(format_new_template(new_template(name, source, folder)))


@click.command("lint")
@click.argument("template", metavar="NAME|PATH")
@click.option("--tags", "all_tags", is_flag=True, help="List every tag with its slide and shape.")
def templates_lint(template: str, all_tags: bool) -> None:
    """Check every tag, directive, picture and chart of a template; exit 1 on any error.

    A package refused for what it holds (outside content, OLE/ActiveX, macros) is bad input: exit 2.
    """
    from deckgen.authoring.lint import lint_template
    from deckgen.authoring.report import format_report
    from deckgen.build import refused_template

    report = lint_template(template)
    click.echo(format_report(report, all_tags))
    if not report.ok:
        refused = refused_template(template)
        # the template has errors: 1, like rows that failed; refused for its content: the error's code (2)
        sys.exit(int(refused.exit_code) if refused is not None else ExitCode.SOME_FAILED)


new, lint = templates_new, templates_lint  # the names the templates group may also load them by


# --------------------------------------------------------------------------- brand


@click.group(cls=DeckgenGroup)
def brand() -> None:
    """Make and check brand kits: colours, fonts and logo."""


def _out_option(f):
    return click.option(
        "--out",
        "out",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("brand"),
        show_default=True,
        help="Folder that holds brand kits; the kit goes in OUT/NAME/.",
    )(f)


def _force_option(f):
    return click.option("--force", is_flag=True, help="Replace a brand kit of that name.")(f)


@brand.command("import")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--name", required=True, help="The kit's name (its folder is this name in lower case).")
@_out_option
@_force_option
def brand_import(source: Path, name: str, out: Path, force: bool) -> None:
    """Make a brand kit from a PowerPoint template's theme colours, fonts and logo (.potx or .pptx)."""
    from deckgen.brand.kit_import import import_brand
    from deckgen.brand.summary import format_imported, next_step

    kit = import_brand(source, name, out, force)
    click.echo(format_imported(kit))
    echo_warnings(kit.warnings)
    click.echo(next_step(kit))


@brand.command("init")
@click.option("--logo", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Your logo (PNG or JPEG).")
@click.option("--name", required=True, help="The kit's name (its folder is this name in lower case).")
@click.option("--heading", metavar="FONT", help="Heading font. Default: Calibri (measured with Carlito).")
@click.option("--body", metavar="FONT", help="Body font. Default: Calibri.")
@_out_option
@_force_option
def brand_init(logo: Path, name: str, heading: str | None, body: str | None, out: Path, force: bool) -> None:
    """Make a brand kit from a logo: a palette from its colours with readable (WCAG AA) text."""
    from deckgen.brand.kit_init import init_brand
    from deckgen.brand.summary import format_initialised, next_step

    kit = init_brand(logo, name, out, heading, body, force)
    click.echo(format_initialised(kit))
    echo_warnings(kit.warnings)
    click.echo(next_step(kit))


@brand.command("show")
@click.argument("kit", metavar="NAME|PATH")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Swatch image to write. Default: NAME-swatch.png in the current folder.",
)
def brand_show(kit: str, out: Path | None) -> None:
    """Draw a brand kit: colours with their roles, fonts, logo on light and dark, contrast ratios."""
    from deckgen.brand.summary import format_shown
    from deckgen.brand.swatch import SwatchPathError, show_brand

    try:
        shown = show_brand(kit, out)
    except SwatchPathError as exc:  # a wrong --out is a usage error, shown with the command's usage
        raise click.BadParameter(exc.message, param_hint="--out") from None
    click.echo(format_shown(shown))
    echo_warnings(shown.warnings)


@brand.command("list")
def brand_list() -> None:
    """List the bundled brand kits."""
    from deckgen.brand.kit_files import list_brands
    from deckgen.brand.summary import format_brand_list

    listing = format_brand_list(list_brands())
    if listing:
        click.echo(listing)
