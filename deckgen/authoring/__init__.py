"""Tools for people who make templates: ``templates new`` (a copy to edit) and ``templates lint``."""

from deckgen.authoring.lint import lint_template
from deckgen.authoring.new import NewTemplate, format_new_template, new_template
from deckgen.authoring.report import Finding, LintReport, TagUse, format_report

__all__ = [
    "lint_template",
    "LintReport",
    "Finding",
    "TagUse",
    "format_report",
    "new_template",
    "NewTemplate",
    "format_new_template",
]
