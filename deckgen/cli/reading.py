"""How a prospect list was read, printed before a run: the CRM, the mapping used and the unmapped columns."""

from __future__ import annotations

import click

__all__ = ["echo_reading"]

_SHOWN = 12


def echo_reading(summary: dict) -> None:
    """Print a :meth:`ProspectSource.summary` on stderr (``--quiet`` callers skip this)."""
    how = summary.get("detected") or ""
    crm = summary.get("crm_label") or summary.get("crm")
    if summary.get("crm") == "generic":
        head = f"Reading {summary['file']} by deckgen's own column names"
    else:
        head = f"Reading {summary['file']} as a {crm} export"
    if how.startswith("detected: "):
        head += f" (detected from its headers: {how.removeprefix('detected: ')}; --crm to override)"
    elif how.startswith("--crm"):
        head += f" ({how})"
    click.echo(head, err=True)
    mapping = summary.get("mapping") or {}
    if mapping:
        pairs = [f"{column} → {target}" for column, target in mapping.items()]
        more = f", … and {len(pairs) - _SHOWN} more" if len(pairs) > _SHOWN else ""
        click.echo("  Mapped: " + ", ".join(pairs[:_SHOWN]) + more, err=True)
    unmapped = summary.get("unmapped") or []
    if unmapped:
        more = f", … and {len(unmapped) - _SHOWN} more" if len(unmapped) > _SHOWN else ""
        click.echo(
            "  Not mapped (kept as prospect.extra, not scored): " + ", ".join(unmapped[:_SHOWN]) + more, err=True
        )
    ignored = summary.get("ignored") or []
    if ignored:
        click.echo("  Ignored: " + ", ".join(ignored), err=True)
