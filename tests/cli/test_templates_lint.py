"""``deckgen templates lint`` exit codes: 0 ready, 1 a template with errors, 2 a package refused as unsafe."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from deckgen.cli import cli
from tests.security.test_outside_content import HOSTILE
from tests.security.util import template


def lint(folder) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["templates", "lint", str(folder)])
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.output


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_a_template_refused_for_outside_content_is_bad_input(tmp_path, case):
    mutate, part, _why = HOSTILE[case]
    code, output = lint(template(tmp_path, mutate))
    assert code == 2, output
    assert part in output


def test_a_template_with_tag_errors_exits_1(tmp_path):
    code, output = lint(template(tmp_path, text="{{ prospect.company "))
    assert code == 1, output


def test_a_clean_template_exits_0(tmp_path):
    code, output = lint(template(tmp_path))
    assert code == 0, output


def test_a_file_that_is_no_package_at_all_is_a_template_error(tmp_path):
    bad = tmp_path / "bad.pptx"
    bad.write_bytes(b"not a zip")
    code, output = lint(bad)
    assert code == 1 and "not a PowerPoint file" in output
