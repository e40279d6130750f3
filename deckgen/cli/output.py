"""What every command prints the same way: warnings and the PDFs it exported."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

import click

from deckgen.errors import ExitCode


def echo_warnings(warnings: Iterable[object]) -> None:
    """Print each warning (a DeckgenWarning or a string) as ``Warning: …`` on stderr."""
    for warning in warnings:
        click.echo(f"Warning: {warning}", err=True)


def echo_pdf_results(results) -> None:
    """Print ``Wrote <pdf>`` for each PDF and ``Error: …`` on stderr for each failure; exit 1 on a failure."""
    failed = 0
    for deck, result in results.items():
        if isinstance(result, Exception):
            failed += 1
            click.echo(f"Error: {deck}: PDF export failed: {result}", err=True)
        else:
            click.echo(f"Wrote {result}")
    if failed:
        sys.exit(ExitCode.SOME_FAILED)


def export_pdfs(decks, out_dir: Path | None = None) -> None:
    """Export decks to PDF (next to each deck, or into ``out_dir``) with one LibreOffice start; exit 1 on a failure."""
    from deckgen.export import export_pdfs as convert

    echo_pdf_results(convert(decks, out_dir))
