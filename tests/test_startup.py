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


# The character classes below were regular expressions compiled at import (~10 ms each); the code-point
# checks that replaced them must say the same for every character.
_OLD_CJK = (
    "\u1100-\u11ff\u2e80-\u9fff\ua960-\ua97f\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff"
)
_OLD_LOCALE_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002ffff"
_OLD_NO_SPACE = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_EVERY_CHARACTER = [chr(c) for c in range(0x40100) if not 0xD800 <= c <= 0xDFFF]


def test_cjk_checks_match_the_regular_expressions_they_replaced():
    import re

    from deckgen.engine.layout.fonts import is_cjk
    from deckgen.sales.locales import _is_cjk
    from deckgen.sales.matching import _no_space_script

    for replaced, check in ((_OLD_CJK, is_cjk), (_OLD_LOCALE_CJK, _is_cjk), (_OLD_NO_SPACE, _no_space_script)):
        pattern = re.compile(f"[{replaced}]")
        assert [c for c in _EVERY_CHARACTER if bool(pattern.match(c)) != check(c)] == []
    assert not is_cjk("") and is_cjk("中a") and not is_cjk("a中")
    assert _no_space_script("dental 歯科") and not _no_space_script("dental") and not _no_space_script("")


@pytest.mark.parametrize(
    "text",
    ["", "plain words", "  two  spaces ", "tab\tand\u3000ideographic", "恒信物流有限公司", "Acme 恒信 Ltd.",
     "mixed恒信words", "한국어 텍스트", "ｆｕｌｌ width", "𠀀𠀁 supplementary", "emoji 😀 here", "\u3000\u3000", "a"],
)  # fmt: skip
def test_text_pieces_match_the_regular_expression_they_replaced(text):
    import re

    from deckgen.engine.layout.fonts import text_pieces

    spaces = " \t\u3000"
    old = re.compile(f"(?P<space>[{spaces}]+)|(?P<cjk>[{_OLD_CJK}])|(?P<word>[^{spaces}{_OLD_CJK}]+)")
    assert text_pieces(text) == old.findall(text)
    sample = "".join(_EVERY_CHARACTER[::97])
    assert text_pieces(sample) == old.findall(sample)


def test_a_warm_build_reads_its_yaml_files_from_the_cache(tmp_path):
    import os

    env = dict(os.environ, DECKGEN_CACHE_DIR=str(tmp_path / "cache"), DECKGEN_CACHE="on")
    out = tmp_path / "deck.pptx"
    argv = ["deckgen", "build", "-p", "deckgen/examples/profile.yaml", "-x"]
    argv += ["deckgen/examples/prospects/alamo-family-dental.yaml", "-o", str(out), "--date", "2026-11-25"]
    code = (
        "import json, runpy, sys\n"
        f"sys.argv = {argv!r}\n"
        "try:\n    runpy.run_module('deckgen', run_name='__main__')\n"
        "except SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    runs = []
    for _ in range(2):
        done = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        runs.append((set(json.loads(done.stdout.splitlines()[-1])), out.read_bytes()))
    (cold, cold_deck), (warm, warm_deck) = runs
    assert "yaml" in cold and "yaml" not in warm
    assert warm_deck == cold_deck
