"""Commands on finished decks: ``check``, ``pdf`` and ``preview`` (loaded lazily by the main group)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from deckgen.cli.output import echo_pdf_results
from deckgen.errors import ExitCode

_DECK = click.Path(exists=True, dir_okay=False, path_type=Path)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


@click.command()
@click.argument("decks", nargs=-1, required=True, type=_DECK, metavar="DECK...")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
def check(decks: tuple[Path, ...], as_json: bool) -> None:
    """Check decks for problems: broken parts, leftover tags, text overflow, external links, macros.

    Exits 1 when any deck has a problem (warnings, such as a missing font, do not count), else 0.
    """
    from deckgen.check import check_deck

    reports = [check_deck(deck) for deck in decks]
    failed = [r for r in reports if not r.ok]
    if as_json:
        click.echo(
            json.dumps({"ok": not failed, "decks": [r.to_dict() for r in reports]}, indent=2, ensure_ascii=False)
        )
    else:
        for report in reports:
            for problem in report.errors + report.warnings:
                click.echo(problem.describe(str(report.path)))
            if report.ok:
                note = f" ({_plural(len(report.warnings), 'warning')})" if report.warnings else ""
                click.echo(f"{report.path}: OK{note}")
        if failed:
            problems = sum(len(r.errors) for r in reports)
            click.echo(f"{_plural(problems, 'problem')} in {len(failed)} of {_plural(len(reports), 'deck')}")
        elif len(reports) > 1:
            click.echo(f"All {len(reports)} decks passed.")
    if failed:
        sys.exit(ExitCode.SOME_FAILED)


@click.command()
@click.argument("decks", nargs=-1, required=True, type=_DECK, metavar="DECK...")
@click.option(
    "--out-dir",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the PDFs. Default: next to each deck.",
)
def pdf(decks: tuple[Path, ...], out_dir: Path | None) -> None:
    """Export decks to PDF with LibreOffice (one start for many decks)."""
    from deckgen.export import export_pdfs

    echo_pdf_results(export_pdfs(decks, out_dir))


@click.command()
@click.argument("deck", type=_DECK)
@click.option(
    "--out",
    "-o",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the PDF, slide PNGs and contact sheet. Default: <deck>-preview next to the deck.",
)
def preview(deck: Path, out_dir: Path | None) -> None:
    """Render a deck to a PDF, one PNG a slide and a contact sheet of all slides."""
    from deckgen.export import preview_deck

    result = preview_deck(deck, out_dir)
    click.echo(f"Wrote {result.pdf}")
    click.echo(f"Wrote {_plural(len(result.pngs), 'slide image')} in {result.pdf.parent}")
    click.echo(f"Contact sheet: {result.sheet}")
