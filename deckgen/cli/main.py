"""The deckgen command line: parse options, call the library, report. Nothing else."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click

from deckgen import __version__
from deckgen.errors import EXIT_USAGE, DeckgenError, InputError, OutputError

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class DeckgenGroup(click.Group):
    """Catches deckgen's errors once: ``Error: …`` on stderr and the error's exit code, no traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except DeckgenError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted: nothing half-written was left behind.", err=True)
            ctx.exit(130)


def _echo_warnings(warnings: list[str]) -> None:
    for w in warnings:
        click.echo(f"Warning: {w}", err=True)


@click.group(cls=DeckgenGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, prog_name="deckgen")
def cli() -> None:
    """Branded, per-prospect walk-away pitch decks for managed IT service providers.

    \b
    Start here:
      deckgen demo                      build the example decks into ./decks/
      deckgen init my-msp               scaffold your own profile, prospects and brand kit
      deckgen build --profile my-msp/profile.yaml --prospect my-msp/prospects/acme.yaml
    """


# --------------------------------------------------------------------------- options shared by build commands

def _template_option(f):
    return click.option("--template", "-t", metavar="NAME|PATH",
                        help="Bundled template name or a .pptx/.potx (or its folder). Default: walk-away.")(f)


def _brand_option(f):
    return click.option("--brand", "-b", metavar="NAME|PATH",
                        help="Bundled brand kit name or a folder with brand.yaml. Default: ridgeline.")(f)


def _closing_option(f):
    return click.option("--closing", "-c", metavar="ID|TEXT",
                        help="Closing line id from `deckgen closings list`, or your own words in quotes.")(f)


def _master_option(f):
    return click.option("--master", metavar="PATH", type=click.Path(dir_okay=False, path_type=Path),
                        help="Your corporate .potx/.pptx: the slides use its slide master and layouts.")(f)


def _fit_option(f):
    return click.option("--fit", "fit_policy", type=click.Choice(["shrink", "fail", "ignore"]),
                        help="Text too long for its box: shrink it (down to the template's minimum size), "
                             "fail naming slide/shape/field, or ignore. Default: the template's policy.")(f)


def _date_option(f):
    return click.option("--date", "date_", metavar="YYYY-MM-DD", help="Date shown on the deck. Default: today.")(f)


# --------------------------------------------------------------------------- build

@cli.command()
@click.option("--profile", "-p", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Your MSP profile (YAML).")
@click.option("--prospect", "-x", "prospect_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The prospect (YAML).")
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Deck to write. Default: <prospect file name>.pptx in the current folder.")
@_template_option
@_brand_option
@_closing_option
@_date_option
@_master_option
@_fit_option
@click.option("--pdf", is_flag=True, help="Also export a PDF next to the deck (needs LibreOffice).")
def build(profile, prospect_path, out, template, brand, closing, date_, master, fit_policy, pdf) -> None:
    """Build one deck for one prospect."""
    from deckgen.build import BuildOptions, DeckBuilder, parse_date, write_deck
    from deckgen.load.files import load_profile, load_prospect

    warnings: list[str] = []
    prof = load_profile(profile, warnings)
    prospect = load_prospect(prospect_path, warnings)
    builder = DeckBuilder(prof, BuildOptions(template, brand, closing, parse_date(date_), master=master,
                                             fit=fit_policy))
    deck = builder.build(prospect)
    target = out or Path(f"{prospect_path.stem}.pptx")
    if target.suffix.lower() != ".pptx":
        raise InputError("the deck's file name must end in .pptx", file=str(target))
    if not target.parent.exists():
        raise OutputError("output folder does not exist", file=str(target.parent))
    write_deck(target, deck.data)
    _echo_warnings(warnings + builder.warnings + deck.warnings)
    click.echo(f"Wrote {target}")
    click.echo(f"  fit {deck.fit.score}/100 — {deck.fit.band_label} (data confidence {deck.fit.confidence:.0%})")
    click.echo(f"  closing line: {deck.closing.line.id} — {deck.closing.line.text}")
    if pdf:
        export_pdfs([target])


def export_pdfs(decks, out_dir: Path | None = None) -> None:
    """Export decks to PDF (next to each deck, or into ``out_dir``) with one LibreOffice start; exit 1 on a failure."""
    from deckgen.export.convert import PdfConverter

    groups: dict[Path, list[Path]] = {}
    for deck in dict.fromkeys(decks):
        groups.setdefault(out_dir or deck.parent, []).append(deck)
    failed = 0
    with PdfConverter() as conv:
        for folder, members in groups.items():
            folder.mkdir(parents=True, exist_ok=True)
            for deck, result in conv.convert(members, folder).items():
                if isinstance(result, Exception):
                    failed += 1
                    click.echo(f"Error: {deck}: PDF export failed: {result}", err=True)
                else:
                    click.echo(f"Wrote {result}")
    if failed:
        sys.exit(1)


# --------------------------------------------------------------------------- demo and init

@cli.command()
@click.option("--out-dir", "-o", type=click.Path(file_okay=False, path_type=Path), default=Path("decks"),
              show_default=True, help="Folder for the example decks.")
@_template_option
@_brand_option
@_date_option
@_master_option
@_fit_option
@click.option("--pdf", is_flag=True, help="Also export PDFs (needs LibreOffice).")
def demo(out_dir, template, brand, date_, master, fit_policy, pdf) -> None:
    """Build the bundled example decks (one MSP, three prospects)."""
    from deckgen.build import BuildOptions, DeckBuilder, parse_date, write_deck
    from deckgen.load.files import load_profile, load_prospect
    from deckgen.naming import NameAllocator
    from deckgen.resources import examples_dir

    warnings: list[str] = []
    prof = load_profile(examples_dir() / "profile.yaml", warnings)
    builder = DeckBuilder(prof, BuildOptions(template, brand, None, parse_date(date_), master=master,
                                             fit=fit_policy))
    out_dir.mkdir(parents=True, exist_ok=True)
    names = NameAllocator(out_dir)
    written = []
    click.echo(f"Building example decks for {prof.msp.name} with template '{builder.compiled.name}' "
               f"and brand '{builder.brand.kit.name}':")
    for path in sorted((examples_dir() / "prospects").glob("*.yaml")):
        prospect = load_prospect(path, warnings)
        deck = builder.build(prospect)
        target, _ = names.allocate(path.stem)
        write_deck(target, deck.data)
        written.append(target)
        click.echo(f"  {target}  {prospect.company} — fit {deck.fit.score}/100, {deck.fit.band_label}; "
                   f"closing '{deck.closing.line.id}'")
        warnings.extend(f"{target.name}: {w}" for w in deck.warnings)
    _echo_warnings(warnings + builder.warnings)
    click.echo(f"Open them in PowerPoint or LibreOffice: {out_dir.resolve()}")
    if pdf:
        export_pdfs(written)


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Write into a folder that already has files.")
def init(folder: Path, force: bool) -> None:
    """Scaffold an editable profile, example prospects and a brand kit in FOLDER."""
    from deckgen.resources import bundled_dir, examples_dir

    if folder.exists() and any(folder.iterdir()) and not force:
        raise InputError("folder is not empty; choose a new folder or pass --force", file=str(folder))
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(examples_dir() / "profile.yaml", folder / "profile.yaml")
    (folder / "prospects").mkdir(exist_ok=True)
    for path in sorted((examples_dir() / "prospects").glob("*.yaml")):
        shutil.copyfile(path, folder / "prospects" / path.name)
    brand_src = bundled_dir("brand") / "ridgeline"
    shutil.copytree(brand_src, folder / "brand", dirs_exist_ok=True)
    click.echo(f"Created {folder}/ with:")
    click.echo("  profile.yaml     your MSP: USP, ideal client, services, closing lines (every field explained)")
    click.echo("  prospects/       example prospects; add one YAML file per company you pitch")
    click.echo("  brand/           your brand kit: colours, fonts, logo (brand.yaml)")
    click.echo("Next:")
    click.echo(f"  deckgen build --profile {folder}/profile.yaml --prospect {folder}/prospects/"
               f"alamo-family-dental.yaml --brand {folder}/brand --out alamo.pptx")


# --------------------------------------------------------------------------- templates and closings

@cli.group(cls=DeckgenGroup)
def templates() -> None:
    """List and inspect deck templates."""


@templates.command("list")
def templates_list() -> None:
    """List the bundled templates."""
    from deckgen.engine.compile import list_template_names, load_spec, resolve_template

    for name in list_template_names():
        pptx, spec_path = resolve_template(name)
        spec = load_spec(pptx, spec_path)
        click.echo(f"{name:<16} {spec.description.strip().splitlines()[0] if spec.description else ''}")


@templates.command("show")
@click.argument("template", metavar="NAME|PATH")
@_brand_option
def templates_show(template: str, brand: str | None) -> None:
    """Show what a template is for, its slides and every variable it needs."""
    from deckgen.brand.kit import load_brand
    from deckgen.engine.compile import compile_template

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


@cli.group(cls=DeckgenGroup)
def closings() -> None:
    """The walk-away closing-line library."""


@closings.command("list")
@click.option("--trigger", help="Only lines for this prospect situation (e.g. break_fix, price_shopper).")
@click.option("--tone", type=click.Choice(["calm", "firm", "warm"]), help="Only lines of this tone.")
@click.option("--profile", "-p", type=click.Path(dir_okay=False, path_type=Path),
              help="Include your profile's own lines (they come first).")
def closings_list(trigger: str | None, tone: str | None, profile: Path | None) -> None:
    """List closing lines: id, tone, triggers and text."""
    from deckgen.sales.closings import all_lines, filter_lines
    from deckgen.load.files import load_profile

    prof = load_profile(profile) if profile else None
    lines = filter_lines(all_lines(prof), trigger=trigger, tone=tone)
    if not lines:
        raise InputError(f"no closing line matches trigger '{trigger}'" if trigger else "no closing line matches")
    for line in lines:
        mark = " (yours)" if line.source == "profile" else ""
        click.echo(f"{line.id}{mark}  [{line.tone.value}]  triggers: {', '.join(line.triggers) or '—'}")
        click.echo(f"    {line.text}")


def _register_commands() -> None:
    """Commands that live in their own modules (batch, fit, check, pdf, preview, brand…)."""
    import importlib

    for module in ("deckgen.cli.batch", "deckgen.cli.check", "deckgen.cli.authoring"):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise


_register_commands()


def main() -> None:
    """Console-script entry point."""
    try:
        cli.main(prog_name="deckgen", standalone_mode=True)
    except DeckgenError as exc:  # raised outside a command (e.g. during option callbacks)
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)


if __name__ == "__main__":  # pragma: no cover
    main()

__all__ = ["cli", "main", "EXIT_USAGE"]
