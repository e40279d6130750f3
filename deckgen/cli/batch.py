"""``deckgen batch``: a prospect list in, decks out (``deckgen fit`` is :mod:`deckgen.cli.fit`).

Only parsing and printing live here; the work is in :mod:`deckgen.batch` (and the ranking in
:mod:`deckgen.sales.ranking`); the progress line is :mod:`deckgen.cli.progress`.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from deckgen.cli.options import (
    brand_option,
    closing_option,
    date_option,
    fit_option,
    master_option,
    template_option,
)
from deckgen.cli.output import echo_warnings
from deckgen.cli.review import batch_review, thumbnails_option
from deckgen.errors import DeckgenError, InputError

if TYPE_CHECKING:
    from deckgen.batch.plan import BatchPlan
    from deckgen.batch.run import BatchResult

__all__ = ["batch", "finish_batch"]

_LIST_SHOWN = 8  # names or failures listed in a summary before "… and N more"
_BAND_COLOURS = {"A": "green", "B": "cyan", "qualify_first": "magenta", "C": "yellow", "walk_away": "red"}
_BAND_SHORT = {"A": "A", "B": "B", "qualify_first": "qualify first", "C": "C", "walk_away": "walk away"}


def _input_options(f):
    """The options that say how to read a prospect list (shared by batch and fit)."""
    options = [
        click.argument("prospects", type=click.Path(dir_okay=False, path_type=Path)),
        click.option(
            "--profile",
            "-p",
            required=True,
            type=click.Path(dir_okay=False, path_type=Path),
            help="Your MSP profile (YAML).",
        ),
        click.option(
            "--crm",
            default="auto",
            show_default=True,
            metavar="NAME",
            help="Which CRM wrote the export: auto (detected from the headers), hubspot, salesforce, "
            "salesforce_report, connectwise, pipedrive, zoho, dynamics, generic (deckgen's own column "
            "names) or mapping (only your --map/--mapping and deckgen's names).",
        ),
        click.option(
            "--map",
            "maps",
            multiple=True,
            metavar="'COLUMN=FIELD'",
            help='Map a column to a prospect field, e.g. --map "Account Name=company"; '
            "repeat as needed; 'COLUMN=' ignores a column.",
        ),
        click.option(
            "--mapping",
            type=click.Path(dir_okay=False, path_type=Path),
            help="A YAML file of 'Column: field' lines (--map options win over it).",
        ),
        click.option(
            "--encoding",
            metavar="CODEC",
            help="Text encoding of a CSV, JSON or YAML list, e.g. cp1252 (default: detected).",
        ),
        click.option("--sheet", metavar="NAME", help="Worksheet of an .xlsx (default: the first visible one)."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _mapping(maps: tuple[str, ...], mapping_file: Path | None) -> dict[str, str] | None:
    from deckgen.load.crm.mapping import load_mapping_file, parse_map_options

    merged: dict[str, str] = {}
    if mapping_file is not None:
        merged.update(load_mapping_file(mapping_file))
    if maps:
        merged.update(parse_map_options(list(maps)))
    return merged or None


def _parse_shard(ctx, param, value):
    from deckgen.batch.shard import Shard

    if value is None:
        return None
    if len(value) > 40:  # far past any real shard count, and past int()'s digit limit
        raise click.BadParameter(f"'{value[:20]}…' is too long; expected K/N, e.g. --shard 2/5 (shard 2 of 5)")
    try:
        return Shard.parse(value)
    except InputError as exc:
        raise click.BadParameter(str(exc).removeprefix(f"--shard '{value}': ")) from None


def _first_rows(result, wanted) -> list:
    """The first rows (in row order) that are ``wanted``, streamed from the batch's row log."""
    rows = result.rows
    ordered = rows.in_row_order() if hasattr(rows, "in_row_order") else iter(sorted(rows, key=lambda r: r.row))
    return list(itertools.islice((r for r in ordered if wanted(r)), _LIST_SHOWN))


def _more(shown: int, total: int) -> str:
    return f", … and {total - shown} more" if total > shown else ""


# --------------------------------------------------------------------------- batch


@click.command()
@_input_options
@click.option(
    "--out-dir",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("decks"),
    show_default=True,
    help="Folder for the decks, the report and the resume manifest.",
)
@template_option
@brand_option
@closing_option
@date_option
@click.option(
    "--name",
    "name_pattern",
    default="{company}-{id}",
    show_default=True,
    metavar="PATTERN",
    help="File name of each deck from {company} {id} {row} {date} {band} {score} {industry} "
    "{city} {country}; made safe and unique.",
)
@click.option("--jobs", "-j", type=click.IntRange(min=1), metavar="N", help="Worker processes. Default: one per CPU.")
@click.option(
    "--shard",
    callback=_parse_shard,
    metavar="K/N",
    help="Build only shard K of N (K from 1): the i-th row goes to shard ((i-1) mod N)+1.",
)
@click.option("--force", is_flag=True, help="Rebuild every deck, even unchanged ones.")
@click.option(
    "--keep-going/--fail-fast", default=True, show_default=True, help="Go on past a bad row, or stop at the first one."
)
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="PATH.json",
    help="Where to write the JSON report (the CSV goes beside it). Default: OUT_DIR/report.json.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress line.")
@master_option
@fit_option
@click.option(
    "--pdf",
    is_flag=True,
    help="Also export a PDF of every deck, and of its seller brief when there is one (--brief), into OUT_DIR "
    "(needs LibreOffice). A rerun keeps the PDFs whose deck did not change.",
)
@click.option(
    "--preview",
    is_flag=True,
    help="Also write a contact sheet (all slides on one PNG) per deck into OUT_DIR/previews/.",
)
@click.option(
    "--brief/--no-brief",
    default=False,
    show_default=True,
    help="Also write each prospect's seller brief (<deck>-brief.pptx) beside its deck.",
)
@thumbnails_option
def batch(
    prospects,
    profile,
    crm,
    maps,
    mapping,
    encoding,
    sheet,
    out_dir,
    template,
    brand,
    closing,
    date_,
    name_pattern,
    jobs,
    shard,
    force,
    keep_going,
    report,
    quiet,
    master,
    fit_policy,
    pdf,
    preview,
    thumbnails,
    brief,
) -> None:
    """Build one deck per row of a CRM export or spreadsheet (CSV, XLSX, JSON, YAML).

    \b
    Writes the decks, report.json, report.csv and review.html into OUT_DIR. A rerun skips decks
    whose inputs did not change (--force rebuilds them). Exit status: 0 every row
    built or skipped, 1 some rows failed, 2 bad options or input, 130 interrupted.
    """
    from deckgen.batch.plan import BatchRequest, prepare_batch
    from deckgen.batch.run import run_batch
    from deckgen.build import BuildOptions, parse_date
    from deckgen.cli.progress import Progress, stream_is_tty

    request = BatchRequest(
        input=prospects,
        profile=profile,
        out_dir=out_dir,
        crm=crm,
        mapping=_mapping(maps, mapping),
        encoding=encoding,
        sheet=sheet,
        options=BuildOptions(template, brand, closing, parse_date(date_), master=master, fit=fit_policy, brief=brief),
        name=name_pattern,
        jobs=jobs,
        shard=shard,
        force=force,
        fail_fast=not keep_going,
        report=report,
    )
    plan = prepare_batch(request)
    if not quiet:
        from deckgen.cli.reading import echo_reading

        echo_reading(plan.source.summary())
    echo_warnings(plan.warnings)
    shown = len(plan.warnings)

    from deckgen.cli.app import steady_gc

    steady_gc()  # before the workers fork: they inherit the pace and the frozen start-up
    progress = None if quiet else Progress(sys.stderr, tty=stream_is_tty(sys.stderr))
    try:
        result = run_batch(plan, on_progress=progress)
    finally:
        if progress is not None:
            progress.close()
    echo_warnings(plan.warnings[shown:])  # found while running (an unreadable manifest)
    ctx = click.get_current_context()
    ctx.exit(finish_batch(plan, result, pdf=pdf, preview=preview, thumbnails=thumbnails))


def finish_batch(plan: BatchPlan, result: BatchResult, *, pdf: bool, preview: bool, thumbnails: bool) -> int:
    """What ``deckgen batch`` does once the decks are built: the summary, the exports and review.html;
    returns the exit code. The plan's compiled templates are released first (:meth:`BatchPlan.release`).

    benchmarks/batch_memory.py runs this too, so that it measures the command's last step as it runs.
    """
    from deckgen.batch.report import report_meta, write_report

    if result.interrupted and result.total is None:  # not counted for a progress display: count now
        try:
            result.total = plan.count_rows()
        except (DeckgenError, OSError, KeyboardInterrupt):
            pass
    _print_batch_summary(plan, result)
    if result.interrupted:
        click.echo(
            f"Interrupted: stopped after {_rows_of(result)} rows; finished decks are kept and "
            "nothing half-written was left behind. Run the same command again to build the rest "
            "(finished decks are skipped) and write review.html.",
            err=True,
        )
        return result.exit_code
    meta = report_meta(plan, result) if pdf else None  # before the release: it names the template and brand
    plan.release()
    _release_start_up()
    request = plan.request
    exported_ok = _export(request.out_dir, result, pdf, preview, result.jobs)
    if meta is not None:  # the report names the PDFs just made
        write_report(result.report_json, result.report_csv, result.rows, meta, request.out_dir)
    batch_review(request, thumbnails=thumbnails, jobs=result.jobs)  # review.html
    return result.exit_code if exported_ok else max(result.exit_code, 1)


def _release_start_up() -> None:
    """Free what start-up made and the batch no longer needs (the compiled templates above all) before the
    last steps, so the report and the review page reuse its memory instead of adding to the peak.

    Start-up was frozen (:func:`deckgen.cli.app.steady_gc`): frozen objects in reference cycles are never
    collected, so the freeze is undone and one full collection frees them.
    """
    import gc

    gc.unfreeze()
    gc.collect()


def _export(out_dir: Path, result: BatchResult, pdf: bool, preview: bool, jobs: int) -> bool:
    """PDFs and contact sheets for the decks of a batch; a failed conversion is reported, not fatal."""
    if not (pdf or preview):
        return True
    from deckgen.batch.exports import batch_decks, export_decks

    decks = batch_decks(out_dir, result)
    if not decks:
        return True
    click.echo(f"Exporting {len(decks)} deck(s) with LibreOffice (unchanged PDFs are kept)…", err=True)
    outcome = export_decks(decks, out_dir, pdf=pdf, preview=preview, jobs=jobs)
    for deck, error in outcome.failed:
        click.echo(f"Error: {deck.name}: PDF export failed: {error}", err=True)
    briefs = f" and {outcome.briefs} seller brief PDF(s)" if outcome.briefs else ""
    kept = f"; {outcome.unchanged} unchanged PDF(s) kept" if outcome.unchanged else ""
    parts = [f"{outcome.pdfs} PDF(s){briefs} in {out_dir}{kept}"] if pdf else []
    if preview:
        parts.append(f"{outcome.sheets} contact sheet(s) in {out_dir / 'previews'}")
    click.echo("Exported: " + ", ".join(parts) + (f"; {len(outcome.failed)} failed" if outcome.failed else ""))
    return not outcome.failed


def _print_duplicates(result: BatchResult) -> None:
    """The rows that repeat an earlier row (same domain, phone or name), each with what they share."""
    count = result.duplicates
    if not count:
        return
    click.echo(f"  Possible duplicates ({count}; the review page puts them on hold):")
    for r in _first_rows(result, lambda r: r.duplicate_of is not None):
        why = next((w for w in r.warnings if f"duplicate of row {r.duplicate_of}" in w), "")
        why = why.removeprefix(f"row {r.row}: ") or f"duplicate of row {r.duplicate_of}"
        click.echo(f"    row {r.row}{', ' + r.company if r.company else ''}: {why}")
    if count > _LIST_SHOWN:
        click.echo(f"    … and {count - _LIST_SHOWN} more")


def _rows_of(result: BatchResult) -> str:
    """``210 of 520``: the rows done of the rows the list holds, when counted (else just ``210``)."""
    done, total = len(result.rows), result.total
    return f"{done} of {total}" if total is not None and total > done else str(done)


def _print_batch_summary(plan: BatchPlan, result: BatchResult) -> None:
    c = result.counts
    rows = _rows_of(result) if result.interrupted else len(result.rows)
    rate = c["built"] / result.seconds if result.seconds > 0 else 0.0
    workers = "1 worker" if result.jobs == 1 else f"{result.jobs} workers"
    shard = f" (shard {plan.request.shard})" if plan.request.shard else ""
    speed = f" ({rate:.1f} decks/s, {workers})" if c["built"] else ""
    stop = " (stopped early)" if result.interrupted else ""
    click.echo(
        f"{rows} rows{shard} from {plan.request.input}{stop}: built {c['built']}, "
        f"skipped {c['skipped-unchanged']} unchanged, failed {c['failed']} "
        f"in {result.seconds:.1f} s{speed}"
    )
    for note in plan.notes:
        click.echo(f"  Note: {note}")
    bands = result.bands
    if bands:
        click.echo("  Bands: " + " · ".join(f"{short} {bands[b]}" for b, short in _BAND_SHORT.items()))
    walking = bands["walk_away"]
    if walking:
        walk = _first_rows(result, lambda r: r.band == "walk_away" and r.status != "failed")
        names = ", ".join(f"{r.company} (row {r.row})" for r in walk)
        click.echo(f"  Walk-away candidates ({walking}): {names}{_more(_LIST_SHOWN, walking)}")
    _print_duplicates(result)
    failing = result.counts["failed"]
    if failing:
        click.echo(f"  Failed ({failing}):")
        for r in _first_rows(result, lambda r: r.status == "failed"):
            where = f"row {r.row}" + (f", {r.error_field}" if r.error_field else "")
            click.echo(f"    {where}: {r.error}")
        if failing > _LIST_SHOWN:
            click.echo(f"    … and {failing - _LIST_SHOWN} more")
    warned = sum(1 for r in result.rows if r.warnings)
    if warned:
        click.echo(f"  {warned} row{'s' if warned != 1 else ''} with warnings (see the report)")
    if result.stopped_early:
        click.echo("  Stopped at the first failed row (--fail-fast): later rows were not looked at.")
    click.echo(f"Report: {result.report_json} and {result.report_csv}")
