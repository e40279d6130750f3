"""``deckgen review`` (write review.html for a batch folder) and ``deckgen release`` (send the approved decks)."""

from __future__ import annotations

from pathlib import Path

import click

from deckgen.cli.output import echo_warnings

__all__ = ["batch_review", "echo_review", "release", "review", "thumbnails_option"]

_FOLDER = click.Path(file_okay=False, exists=True, path_type=Path)


thumbnails_option = click.option(
    "--thumbnails",
    is_flag=True,
    help="Also render a strip of each deck's key slides for OUT_DIR/review.html (needs LibreOffice; "
    "--preview makes them too).",
)


def echo_review(outcome) -> None:
    """The lines the batch and review commands print about the page they wrote."""
    echo_warnings(outcome.warnings)
    data = outcome.data
    made = f", {outcome.strips_made} thumbnail strip(s) rendered" if outcome.strips_made else ""
    click.echo(f"Review page: {outcome.path} ({len(data.rows)} decks, {len(data.failed)} failed rows{made})")
    if data.capped:
        shown = len(data.rows) + len(data.failed)
        click.echo(
            f"  Note: the page shows {shown:,} of {data.total_rows:,} rows, those needing attention first; "
            "report.csv holds them all"
        )
    for note in data.notes:
        click.echo(f"  Note: {note}")


def batch_review(request, *, thumbnails: bool, jobs: int) -> None:
    """After a batch: write review.html; a page that cannot be written is reported, the batch stands."""
    from deckgen.errors import DeckgenError
    from deckgen.review import write_review

    try:
        outcome = write_review(
            request.out_dir, report=request.report, request=request, thumbnails=thumbnails, jobs=jobs
        )
    except (DeckgenError, OSError) as exc:
        click.echo(f"Warning: review.html was not written: {exc}", err=True)
        return
    echo_review(outcome)


@click.command()
@click.argument("out_dir", type=_FOLDER)
@click.option(
    "--thumbnails",
    is_flag=True,
    help="Render a strip of each deck's key slides where none is newer than the deck (needs LibreOffice).",
)
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=2, show_default=True, help="LibreOffice processes.")
@click.option(
    "--report",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    metavar="PATH.json",
    help="The batch report to read. Default: OUT_DIR/report.json and every shard's report beside it.",
)
def review(out_dir, thumbnails, jobs, report) -> None:
    """Write OUT_DIR/review.html: every deck of a batch on one page, ranked, to review before sending.

    \b
    Open it from disk in any browser (it needs no network). Mark decks ready or hold,
    export review-decisions.csv, then run `deckgen release OUT_DIR --approved FILE`.
    """
    from deckgen.review import write_review

    echo_review(write_review(out_dir, report=report, thumbnails=thumbnails, jobs=jobs))


@click.command()
@click.argument("out_dir", type=_FOLDER)
@click.option(
    "--approved",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="CSV",
    help="The review-decisions.csv exported from review.html.",
)
@click.option(
    "--report",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    metavar="PATH.json",
    help="The batch report to read. Default: OUT_DIR/report.json and every shard's report beside it.",
)
def release(out_dir, approved, report) -> None:
    """Copy the decks marked ready, and their PDFs, into OUT_DIR/send/ for the prospects.

    \b
    send/ gets the prospect's copy of each deck: the same slides without the
    speaker notes or comments. The seller brief (<deck>-brief.pptx/.pdf) and
    your own copy of the deck, notes included, stay in OUT_DIR.
    A deck goes only while its SHA-256 matches the one the reviewer approved;
    send/manifest.json records who approved what, when, against which hash,
    the hash of every file sent and what was kept back.
    Exit status: 0 every approved deck sent, 1 some could not be, 2 bad input.
    """
    from deckgen.review import release as do_release

    result = do_release(out_dir, approved, report=report)
    for name, why in result.refused:
        click.echo(f"Error: {name}: not sent: {why}", err=True)
    for name, original, why in result.duplicates:
        click.echo(
            f"Warning: {name} and {original} were both sent ({why or 'duplicate rows'}): the same prospect may "
            f"get two decks; mark one hold and release again unless they are two prospects",
            err=True,
        )
    removed = f"; {len(result.removed)} file(s) no longer approved taken out" if result.removed else ""
    unmarked = f"; {result.unmarked} deck(s) of the batch not reviewed yet" if result.unmarked else ""
    click.echo(
        f"Sent {len(result.sent)} deck(s) to {result.send_dir}; {len(result.held)} on hold, "
        f"{len(result.refused)} refused{removed}{unmarked}"
    )
    click.get_current_context().exit(1 if result.refused else 0)
