"""``deckgen fit``: rank a prospect list by fit, show how it was read, and write the CRM update file.

Only parsing and printing live here; the ranking is :mod:`deckgen.batch.rank` and
:mod:`deckgen.sales.ranking`, the update file :mod:`deckgen.batch.writeback`.
"""

from __future__ import annotations

import json
import shutil
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

import click

from deckgen.cli.batch import _BAND_COLOURS, _BAND_SHORT, _LIST_SHOWN, _input_options, _mapping
from deckgen.cli.output import echo_warnings

if TYPE_CHECKING:
    from deckgen.sales.ranking import FitRanking, FitRow

__all__ = ["fit"]


@click.command()
@_input_options
@click.option("--json", "as_json", is_flag=True, help="Print the ranking as JSON (for machines).")
@click.option("--csv", "as_csv", is_flag=True, help="Print the ranking as CSV (for spreadsheets).")
@click.option("--top", type=click.IntRange(min=1), metavar="N", help="Show only the N best prospects.")
@click.option(
    "--export",
    "export_path",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="PATH.csv",
    help="Also write a CSV the CRM's own import accepts to update the same records: the record id "
    "column as the CRM names it, fit score, band, confidence, suggested closing line and deck file.",
)
@click.option(
    "--name",
    "name_pattern",
    default="{company}-{id}",
    show_default=True,
    metavar="PATTERN",
    help="How batch would name each deck (the deck file column of --export).",
)
@click.option("--quiet", "-q", is_flag=True, help="Do not print how the list was read (CRM, mapping, unmapped).")
def fit(
    prospects, profile, crm, maps, mapping, encoding, sheet, as_json, as_csv, top, export_path, name_pattern, quiet
) -> None:
    """Rank the prospects of a list by fit with your ideal client profile; builds no decks.

    \b
    Shows band, score, data confidence, how the industry matched (exact, synonym,
    adjacent, none), the top reasons and the suggested closing line, best first; names
    the prospects to qualify first (too little data) and to walk away from.
    """
    from deckgen.batch.plan import BatchRequest
    from deckgen.batch.rank import rank_fits
    from deckgen.batch.report import ranking_csv
    from deckgen.cli.reading import echo_reading

    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    if export_path is not None and export_path.suffix.lower() != ".csv":
        raise click.BadParameter("must name a .csv file", param_hint="--export")
    ranking = rank_fits(
        BatchRequest(
            input=prospects,
            profile=profile,
            out_dir=Path("."),
            crm=crm,
            mapping=_mapping(maps, mapping),
            encoding=encoding,
            sheet=sheet,
            name=name_pattern,
        ),
        on_open=None if quiet else echo_reading,
    )
    echo_warnings(ranking.warnings)
    if export_path is not None:
        from deckgen.batch.writeback import write_crm_update

        count = write_crm_update(export_path, ranking)
        click.echo(f"Wrote {export_path}: {count} record(s) to update in {ranking.source.get('crm_label')}", err=True)
    if as_json:
        click.echo(json.dumps(ranking.to_json(top), ensure_ascii=False, indent=2))
    elif as_csv:
        click.echo(ranking_csv(ranking, top), nl=False)  # bytes: written as they are (CRLF)
    else:
        _print_fit_table(ranking.top(top), ranking)
    for r in ranking.failed:
        where = f"row {r.row}" + (f", {r.error_field}" if r.error_field else "")
        click.echo(f"Error: {prospects} {where}: {r.error}", err=True)
    click.get_current_context().exit(1 if ranking.failed else 0)


def _cells(text: str) -> int:
    """Terminal columns ``text`` takes: Chinese, Japanese and Korean characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(text: str, width: int) -> str:
    """``text`` cut (with an ellipsis) or padded to exactly ``width`` terminal columns."""
    if _cells(text) > width:
        out, used = "", 0
        for ch in text:
            w = _cells(ch)
            if used + w > width - 1:
                break
            out, used = out + ch, used + w
        text = out + "…"
    return text + " " * (width - _cells(text))


def _criterion_label(name: str) -> str:
    from deckgen.sales.fit import LABELS

    label = LABELS.get(name, name)
    return label[:1].lower() + label[1:]


def _print_fit_table(rows: list[FitRow], ranking: FitRanking) -> None:
    width = max(shutil.get_terminal_size((120, 24)).columns, 80)
    company_w = min(max([_cells(r.company) for r in rows] + [7]), 32)
    closing_w = min(max([len(r.closing) for r in rows] + [7]), 28)
    reasons_w = max(width - (4 + 2 + 13 + 2 + 5 + 2 + 4 + 2 + 8 + 2 + company_w + 2 + closing_w + 2) - 1, 20)
    head = (
        f"{'#':>4}  {'Band':<13}  {'Score':>5}  {'Conf':>4}  {'Industry':<8}  {_cell('Company', company_w)}  "
        f"{_cell('Closing', closing_w)}  Top reasons"
    )
    click.echo(click.style(head, bold=True))
    for i, r in enumerate(rows, 1):
        band = click.style(f"{_BAND_SHORT[r.band]:<13}", fg=_BAND_COLOURS[r.band], bold=r.band == "A")
        reasons = _cell(" ".join(r.reasons), reasons_w).rstrip()
        click.echo(
            f"{i:>4}  {band}  {r.score:>5}  {r.confidence:>4.0%}  {_cell(r.industry_rule, 8)}  "
            f"{_cell(r.company, company_w)}  {_cell(r.closing, closing_w)}  {reasons}"
        )
    total = len(ranking.ranked)
    if len(rows) < total:
        click.echo(f"  … {total - len(rows)} more (without --top)")
    qualify = [r for r in ranking.ranked if r.band == "qualify_first"]
    if qualify:
        click.echo("")
        click.echo(click.style(f"Qualify first ({len(qualify)}): too little data to pitch or walk away", bold=True))
        for r in qualify[:_LIST_SHOWN]:
            missing = ", ".join(_criterion_label(m) for m in r.missing)
            click.echo(f"  {r.company} (row {r.row}, {r.confidence:.0%} known): find out {missing}")
        if len(qualify) > _LIST_SHOWN:
            click.echo(f"  … and {len(qualify) - _LIST_SHOWN} more")
    walk = ranking.walk_away
    if walk:
        click.echo("")
        click.echo(click.style(f"Walk-away candidates ({len(walk)}):", fg="red", bold=True))
        for r in walk:
            click.echo(f"  {r.company} (row {r.row}, {r.score}/100): {r.verdict}")
    else:
        click.echo("\nNo walk-away candidates.")
