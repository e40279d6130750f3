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


def test_a_second_build_asks_fontconfig_nothing_and_writes_the_same_deck(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from deckgen.cache import CACHE_DIR_ENV, CACHE_SWITCH_ENV
    from deckgen.cli import cli
    from deckgen.load import fonts
    from deckgen.resources import examples_dir

    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv(CACHE_SWITCH_ENV, "on")
    prospect = examples_dir() / "prospects" / "hengxin-logistics.yaml"  # names an East Asian font

    def build(name: str) -> bytes:
        fonts.installed_font.cache_clear()  # what a new process starts with
        fonts._dirs_stamp.cache_clear()
        out = tmp_path / f"{name}.pptx"
        args = ["build", "-p", str(examples_dir() / "profile.yaml"), "-x", str(prospect), "-o", str(out)]
        result = CliRunner().invoke(cli, [*args, "--date", "2026-11-25", "--no-brief"])
        assert result.exit_code == 0, result.output
        return out.read_bytes()

    first = build("first")
    started = []
    monkeypatch.setattr(fonts.subprocess, "run", lambda *a, **k: started.append(a) or pytest.fail("fc-match ran"))
    assert build("second") == first
    assert started == []
    fonts.installed_font.cache_clear()
