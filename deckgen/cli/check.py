"""Commands on finished decks: ``check``, ``pdf`` and ``preview`` (loaded lazily by the main group)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from deckgen.cli.output import echo_pdf_results
from deckgen.errors import ExitCode

_DECK = click.Path(exists=True, dir_okay=False, path_type=Path)
_DECK_OR_INPUT = click.Path(exists=True, path_type=Path)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


@click.command()
@click.argument("paths", nargs=-1, required=True, type=_DECK_OR_INPUT, metavar="FILE...")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
def check(paths: tuple[Path, ...], as_json: bool) -> None:
    """Check decks (broken parts, leftover tags, text overflow, links, macros), or your own files before
    a build: a profile, prospect or brand kit, each mistake with its line and how to fix it.

    \b
    Examples:
      deckgen check my-msp/                      your profile, prospects and brand kit
      deckgen check my-msp/profile.yaml          one file (a prospect or brand kit folder too)
      deckgen check decks/*.pptx                 finished decks

    Exits 2 when one of your files has a mistake a build would stop on, 1 when a deck has a problem
    (warnings, such as a missing font, do not count), else 0.
    """
    from deckgen.check_inputs import is_input

    inputs = [p for p in paths if is_input(p)]
    decks = [p for p in paths if not is_input(p)]
    bad_input = _check_inputs(inputs, as_json and not decks) if inputs else False
    bad_deck = _check_decks(decks, as_json) if decks else False
    if bad_input or bad_deck:
        sys.exit(ExitCode.USAGE if bad_input else ExitCode.SOME_FAILED)


def _check_inputs(paths: list[Path], as_json: bool) -> bool:
    """Report on the user's own files; True when one of them has an error."""
    from deckgen.check_inputs import check_inputs

    results = check_inputs(paths)
    if as_json:
        rows = [{"path": str(r.path), "kind": r.kind, "error": r.error, "warnings": r.warnings} for r in results]
        click.echo(json.dumps({"ok": not any(r.error for r in results), "files": rows}, indent=2, ensure_ascii=False))
    else:
        for r in results:
            for warning in r.warnings:
                click.echo(f"Warning: {warning}", err=True)
            if r.error:
                click.echo(f"Error: {r.error}", err=True)
            else:
                note = f" ({_plural(len(r.warnings), 'warning')})" if r.warnings else ""
                click.echo(f"{r.path}: OK, {r.kind}{note}")
        bad = [r for r in results if r.error]
        if bad:
            click.echo(f"{_plural(len(bad), 'file')} of {len(results)} must be fixed before a build", err=True)
    return any(r.error for r in results)


def _check_decks(decks: list[Path], as_json: bool) -> bool:
    """Report on finished decks; True when one of them has a problem."""
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
    return bool(failed)


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
