"""Start-up: what ``import deckgen.cli`` loads, and the XML escaping that replaced ``xml.sax.saxutils``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from xml.sax.saxutils import escape as sax_escape

import pytest

from deckgen.engine.xmltext import escape

REPO = Path(__file__).resolve().parent.parent

# Nothing the click group needs before a subcommand runs: images, locale data, the network stack,
# templating, validation, XML, the engine and the build path load only when a command uses them.
NOT_AT_START = (
    "PIL",
    "babel",
    "babel.numbers",
    "urllib.request",
    "http.client",
    "ssl",
    "email.parser",
    "jinja2",
    "pydantic",
    "lxml",
    "yaml",
    "deckgen.engine",
    "deckgen.build",
    "deckgen.jobs",
)


def loaded_after(statement: str) -> list[str]:
    code = f"import json, sys\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_importing_the_cli_loads_nothing_heavy():
    loaded = set(loaded_after("import deckgen.cli"))
    assert [name for name in NOT_AT_START if name in loaded] == []


def test_the_help_text_loads_no_subcommand_dependencies():
    loaded = set(loaded_after("from deckgen.cli.app import cli\ncli.get_command(None, 'build')"))
    assert "deckgen.cli.build" in loaded  # the check can see a lazily loaded command
    assert [name for name in NOT_AT_START if name in loaded] == []


@pytest.mark.parametrize("text", ["", "plain", "a & b", "<a:t>x</a:t>", "&amp;", "1 > 0 < 2 && 3", "{{ x }} é 😀"])
def test_escape_matches_saxutils(text):
    assert escape(text) == sax_escape(text)
