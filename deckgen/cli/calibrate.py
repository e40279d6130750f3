"""``deckgen calibrate``: learn fit weights from won and lost deals (loaded lazily by the main group).

A command of its own rather than a ``fit`` subcommand: ``deckgen fit FILE`` takes a file as its first
argument, and turning ``fit`` into a group would make a file called ``calibrate`` ambiguous.
Only parsing and printing live here; the work is :mod:`deckgen.batch.calibrate`.
"""

from __future__ import annotations

from pathlib import Path

import click

from deckgen.cli.batch import _input_options, _mapping
from deckgen.cli.output import echo_warnings

__all__ = ["calibrate"]


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def _auc(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


@click.command()
@_input_options
@click.option(
    "--outcome",
    metavar="COLUMN",
    help="The column holding the deal outcome. Default: the first of Deal Stage (HubSpot), Deal - Status "
    "(Pipedrive), Stage (Salesforce, Zoho), Status (Dynamics 365), Outcome found in the file.",
)
@click.option(
    "--out",
    "-o",
    "out_path",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="PATH.yaml",
    help="Write the suggested icp.weights snippet here instead of printing it. Your profile is never changed.",
)
def calibrate(prospects, profile, crm, maps, mapping, encoding, sheet, outcome, out_path) -> None:
    """Learn fit weights from closed deals: compare won with lost, suggest weights and back-test them.

    \b
    PROSPECTS is an export of closed deals with their company data and an outcome
    column (Closed Won / Closed Lost, closedwon / closedlost, won / lost). Each deal
    is scored with your profile's ICP; the report shows per criterion the mean share
    of its points won and lost deals earned, the weights the difference suggests,
    and how well the current and the suggested weights tell won from lost on every
    third deal, held out. The suggestion is a profile snippet: review it and paste
    it into your profile yourself.
    """
    from deckgen.batch.calibrate import calibrate_file
    from deckgen.batch.plan import BatchRequest
    from deckgen.sales.calibrate import weights_snippet
    from deckgen.sales.fit import LABELS

    if out_path is not None and out_path.resolve() == profile.resolve():
        raise click.BadParameter("must not be your profile: calibrate never changes the profile", param_hint="--out")
    run = calibrate_file(
        BatchRequest(
            input=prospects,
            profile=profile,
            out_dir=Path("."),
            crm=crm,
            mapping=_mapping(maps, mapping),
            encoding=encoding,
            sheet=sheet,
        ),
        outcome,
    )
    echo_warnings(run.warnings)
    cal = run.calibration
    skipped = f", {run.open_rows} row(s) without a closed outcome skipped" if run.open_rows else ""
    click.echo(
        f"Read {prospects} ({run.source.get('crm_label')}, outcome column '{run.outcome_column}'): "
        f"{cal.won} won, {cal.lost} lost{skipped}"
    )
    for row, error in run.unreadable:
        click.echo(f"Warning: row {row} left out: {error}", err=True)
    click.echo("")
    head = f"{'Criterion':<28} {'Won':>5} {'Lost':>5} {'Diff':>6}  {'Weight now':>10}  {'Suggested':>9}"
    click.echo(click.style(head, bold=True))
    for c in cal.criteria:
        diff, label = round(100 * c.difference), LABELS.get(c.name, c.name)
        click.echo(f"{label:<28} {c.won:>5.0%} {c.lost:>5.0%} {diff:>+6}  {c.current:>10}  {c.suggested:>9}")
    click.echo("  (Won, Lost: mean share of the criterion's points that won and lost deals earned)")
    click.echo("")
    click.echo(f"Back-test on {cal.held_out} held-out deals (every third of each outcome; trained on {cal.train}):")
    for label, test in (("current weights:  ", cal.old_test), ("suggested weights:", cal.new_test)):
        at = f" at score >= {test.threshold:.0f}" if test.threshold is not None and test.threshold <= 100 else ""
        click.echo(f"  {label} AUC {_auc(test.auc)}, accuracy {_pct(test.accuracy)}{at}")
    click.echo("  (AUC: the chance a won deal scores above a lost one; 0.50 is a coin toss, 1.00 perfect)")
    for note in cal.notes:
        click.echo(f"Note: {note}")
    snippet = weights_snippet(cal, prospects.name)
    click.echo("")
    if out_path is not None:
        from deckgen.output import atomic_write

        atomic_write(out_path, snippet.encode("utf-8"))
        click.echo(f"Wrote {out_path}: the suggested icp.weights; your profile {profile} is unchanged.")
    else:
        click.echo(snippet, nl=False)
