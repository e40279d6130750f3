"""Old import path of the CLI, kept while the command modules move to deckgen.cli.app."""

from deckgen.cli.app import CONTEXT_SETTINGS, DeckgenGroup, cli, main
from deckgen.cli.catalog import closings, templates
from deckgen.cli.options import brand_option as _brand_option
from deckgen.cli.options import closing_option as _closing_option
from deckgen.cli.options import date_option as _date_option
from deckgen.cli.options import fit_option as _fit_option
from deckgen.cli.options import master_option as _master_option
from deckgen.cli.options import template_option as _template_option
from deckgen.cli.output import echo_warnings as _echo_warnings
from deckgen.cli.output import export_pdfs
from deckgen.errors import EXIT_USAGE

__all__ = [
    "CONTEXT_SETTINGS",
    "DeckgenGroup",
    "cli",
    "main",
    "closings",
    "templates",
    "_brand_option",
    "_closing_option",
    "_date_option",
    "_fit_option",
    "_master_option",
    "_template_option",
    "_echo_warnings",
    "export_pdfs",
    "EXIT_USAGE",
]
