"""Options shared by the commands that build decks (build, demo, batch)."""

from __future__ import annotations

from pathlib import Path

import click


def template_option(f):
    return click.option(
        "--template",
        "-t",
        metavar="NAME|PATH",
        help="Bundled template name or a .pptx/.potx (or its folder). Default: walk-away.",
    )(f)


def brand_option(f):
    return click.option(
        "--brand",
        "-b",
        metavar="NAME|PATH",
        help="Bundled brand kit name or a folder with brand.yaml. Default: ridgeline.",
    )(f)


def closing_option(f):
    return click.option(
        "--closing",
        "-c",
        metavar="ID|TEXT",
        help="Closing line id from `deckgen closings list`, or your own words in quotes.",
    )(f)


def master_option(f):
    return click.option(
        "--master",
        metavar="PATH",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Your corporate .potx/.pptx: the slides use its slide master and layouts.",
    )(f)


def fit_option(f):
    return click.option(
        "--fit",
        "fit_policy",
        type=click.Choice(["shrink", "fail", "ignore"]),
        help="Text too long for its box: shrink it (down to the template's minimum size), "
        "fail naming slide/shape/field, or ignore. Default: the template's policy.",
    )(f)


def date_option(f):
    return click.option("--date", "date_", metavar="YYYY-MM-DD", help="Date shown on the deck. Default: today.")(f)
