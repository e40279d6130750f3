"""``deckgen build``, ``demo`` and ``init``: one deck, the bundled examples, your own editable set."""

from __future__ import annotations

from pathlib import Path

import click

from deckgen.cli.options import brand_option, closing_option, date_option, fit_option, master_option, template_option
from deckgen.cli.output import echo_warnings, export_pdfs

STORYLINE_CHOICES = ("pitch", "buyer", "nurture", "discovery", "walk-away", "referral")


def storyline_options(command):
    """--storyline, --brief/--no-brief and --skip-walk-away (build and demo)."""
    command = click.option(
        "--skip-walk-away",
        "skip",
        is_flag=True,
        help="Write no customer deck when the storyline is walk away or referral (the seller brief is still written).",
    )(command)
    command = click.option(
        "--brief/--no-brief",
        default=True,
        show_default=True,
        help="Also write the seller brief, <deck>-brief.pptx: score, questions, objections, how to close.",
    )(command)
    return click.option(
        "--storyline",
        type=click.Choice(STORYLINE_CHOICES, case_sensitive=False),
        help="Override the storyline the fit verdict chooses (A pitch, B buyer, C nurture, "
        "too little data discovery, walk-away; referral for a country you do not serve).",
    )(command)


@click.command()
@click.option(
    "--profile", "-p", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Your MSP profile (YAML)."
)
@click.option(
    "--prospect",
    "-x",
    "prospect_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The prospect (YAML).",
)
@click.option(
    "--out",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Deck to write. Default: <prospect file name>.pptx in the current folder.",
)
@template_option
@brand_option
@closing_option
@date_option
@master_option
@fit_option
@storyline_options
@click.option("--pdf", is_flag=True, help="Also export a PDF next to the deck and the brief (needs LibreOffice).")
def build(
    profile, prospect_path, out, template, brand, closing, date_, master, fit_policy, storyline, brief, skip, pdf
) -> None:
    """Build one deck for one prospect, and the seller brief beside it.

    \b
    Examples:
      deckgen build -p my-msp/profile.yaml -x my-msp/prospects/alamo-family-dental.yaml -b my-msp/brand
      deckgen build -p my-msp/profile.yaml -x acme.yaml -b my-msp/brand --out decks/acme.pptx --pdf

    Run `deckgen check my-msp/` first to find mistakes in your files, each with its line.
    """
    from deckgen.build import BuildOptions, parse_date
    from deckgen.jobs import build_deck

    options = BuildOptions(
        template,
        brand,
        closing,
        parse_date(date_),
        master=master,
        fit=fit_policy,
        storyline=storyline,
        brief=brief,
        skip_walk_away=skip,
    )
    deck = build_deck(profile, prospect_path, out, options)
    echo_warnings(deck.warnings)
    if deck.skipped:
        click.echo(f"No customer deck for {deck.company}: walk away (--skip-walk-away)")
    else:
        click.echo(f"Wrote {deck.path}")
    if deck.brief is not None:
        click.echo(f"Wrote {deck.brief}  (seller brief: keep it away from the prospect)")
    click.echo(f"  fit {deck.fit.score}/100 — {deck.fit.band_label} (data confidence {deck.fit.confidence:.0%})")
    click.echo(f"  storyline: {deck.storyline}")
    click.echo(f"  closing line: {deck.closing.line.id} — {deck.closing.line.text}")
    if pdf:
        export_pdfs(deck.files)


@click.command()
@click.option(
    "--out-dir",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("decks"),
    show_default=True,
    help="Folder for the example decks.",
)
@template_option
@brand_option
@date_option
@master_option
@fit_option
@storyline_options
@click.option("--pdf", is_flag=True, help="Also export PDFs (needs LibreOffice).")
def demo(out_dir, template, brand, date_, master, fit_policy, storyline, brief, skip, pdf) -> None:
    """Build the bundled example decks (one MSP, three prospects)."""
    from deckgen.build import BuildOptions, parse_date
    from deckgen.jobs import build_examples

    def started(result) -> None:
        click.echo(
            f"Building example decks for {result.msp} with template '{result.template}' and brand '{result.brand}':"
        )

    def built(deck) -> None:
        click.echo(
            f"  {'(skipped)' if deck.skipped else deck.path}  {deck.company} — fit {deck.fit.score}/100, "
            f"{deck.fit.band_label}; storyline {deck.storyline}; closing '{deck.closing.line.id}'"
        )

    options = BuildOptions(
        template,
        brand,
        None,
        parse_date(date_),
        master=master,
        fit=fit_policy,
        storyline=storyline,
        brief=brief,
        skip_walk_away=skip,
    )
    result = build_examples(out_dir, options, on_start=started, on_deck=built)
    echo_warnings(result.warnings)
    click.echo(f"Open them in PowerPoint or LibreOffice: {out_dir.resolve()}")
    if pdf:
        export_pdfs([path for deck in result.decks for path in deck.files])


@click.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Write into a folder that already has files.")
def init(folder: Path, force: bool) -> None:
    """Scaffold an editable profile, example prospects and a brand kit in FOLDER.

    \b
    Example:
      deckgen init my-msp          then edit my-msp/profile.yaml and run: deckgen check my-msp/
    """
    from deckgen.jobs import init_workspace

    backups = init_workspace(folder, force)
    echo_warnings(backups)
    click.echo(f"Created {folder}/ with:")
    click.echo("  profile.yaml     your MSP: USP, ideal client, services, closing lines (every field explained)")
    click.echo("  prospects/       example prospects; add one YAML file per company you pitch")
    click.echo("  brand/           your brand kit: colours, fonts, logo (brand.yaml)")
    click.echo("Next: edit the files, then find any mistake in them (with its line) and build a deck:")
    click.echo(f"  deckgen check {folder}/")
    click.echo(
        f"  deckgen build --profile {folder}/profile.yaml --prospect {folder}/prospects/"
        f"alamo-family-dental.yaml --brand {folder}/brand --out alamo.pptx"
    )
