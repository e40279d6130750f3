"""Commands on finished decks: ``check``, ``pdf`` and ``preview``. Registered on the main group."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from deckgen.cli.main import export_pdfs, cli

_DECK = click.Path(exists=True, dir_okay=False, path_type=Path)


@cli.command()
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
        click.echo(json.dumps({"ok": not failed, "decks": [r.to_dict() for r in reports]}, indent=2,
                              ensure_ascii=False))
    else:
        for report in reports:
            for problem in report.errors + report.warnings:
                click.echo(problem.describe(str(report.path)))
            if report.ok:
                note = f" ({len(report.warnings)} warning{'s' if len(report.warnings) != 1 else ''})" \
                    if report.warnings else ""
                click.echo(f"{report.path}: OK{note}")
        if failed:
            problems = sum(len(r.errors) for r in reports)
            click.echo(f"{problems} problem{'s' if problems != 1 else ''} in {len(failed)} of {len(reports)} "
                       f"deck{'s' if len(reports) != 1 else ''}")
        elif len(reports) > 1:
            click.echo(f"All {len(reports)} decks passed.")
    if failed:
        sys.exit(1)


@cli.command()
@click.argument("decks", nargs=-1, required=True, type=_DECK, metavar="DECK...")
@click.option("--out-dir", "-o", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the PDFs. Default: next to each deck.")
def pdf(decks: tuple[Path, ...], out_dir: Path | None) -> None:
    """Export decks to PDF with LibreOffice (one start for many decks)."""
    export_pdfs(decks, out_dir)


@cli.command()
@click.argument("deck", type=_DECK)
@click.option("--out", "-o", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the PDF, slide PNGs and contact sheet. Default: <deck>-preview next to the deck.")
def preview(deck: Path, out_dir: Path | None) -> None:
    """Render a deck to a PDF, one PNG a slide and a contact sheet of all slides."""
    from deckgen.export.convert import preview_deck

    out = out_dir or deck.parent / f"{deck.stem}-preview"
    out.mkdir(parents=True, exist_ok=True)
    result = preview_deck(deck, out)
    click.echo(f"Wrote {result.pdf}")
    click.echo(f"Wrote {len(result.pngs)} slide image{'s' if len(result.pngs) != 1 else ''} in {out}")
    click.echo(f"Contact sheet: {result.sheet}")
