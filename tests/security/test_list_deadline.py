"""`fit` and `batch` on a prospect list that is too slow to read: `Error:` naming the file, exit 2, no
traceback, nothing written. The list is made slow by a tiny deadline, never by asserting on time."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from deckgen.cli import cli
from deckgen.load.table.deadline import LIST_SECONDS_ENV
from tests.security.util import DATE, PROFILE

pytest.importorskip("deckgen.cli.batch")


@pytest.fixture
def slow_list(tmp_path):
    """30 MiB of prospect list: no machine opens and reads it within a millisecond and a few rows' allowance."""
    path = tmp_path / "export.csv"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("company,notes\nAcme,ok\n")
        fh.write("Big," + "x" * (30 * 1024 * 1024) + "\n")
        fh.write("Last,ok\n")
    return path


def invoke(*args: str, env: dict[str, str]):
    return CliRunner().invoke(cli, list(args), env=env)


def assert_clean_deadline_error(result, path) -> None:
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # an error deckgen reported, not a crash
    assert "Traceback" not in result.output
    assert f"Error: {path}" in result.output and "took longer than" in result.output
    assert LIST_SECONDS_ENV in result.output  # says how to allow more time


def test_fit_stops_on_a_list_that_reads_too_slowly(slow_list):
    result = invoke("fit", str(slow_list), "--profile", str(PROFILE), env={LIST_SECONDS_ENV: "0.001"})
    assert_clean_deadline_error(result, slow_list)


@pytest.mark.parametrize("quiet", [True, False])
def test_batch_stops_on_a_list_that_reads_too_slowly_and_writes_nothing(tmp_path, slow_list, quiet):
    out = tmp_path / "decks"
    args = ["batch", str(slow_list), "--profile", str(PROFILE), "--out-dir", str(out), "--date", DATE, "--jobs", "1"]
    result = invoke(*args, *(["--quiet"] if quiet else []), env={LIST_SECONDS_ENV: "0.001"})
    assert_clean_deadline_error(result, slow_list)
    written = sorted(p.name for p in out.iterdir()) if out.exists() else []
    assert not [n for n in written if n.endswith((".pptx", ".json", ".csv", ".part"))], written


def test_a_bad_deadline_setting_is_an_error_not_a_traceback(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("company\nAcme\n")
    result = invoke("fit", str(path), "--profile", str(PROFILE), env={LIST_SECONDS_ENV: "soon"})
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"Error: {LIST_SECONDS_ENV} must be a number of seconds" in result.output


def test_the_same_list_reads_with_the_default_deadline(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("company,users\nAcme,40\nGlobex,200\n")
    result = invoke("fit", str(path), "--profile", str(PROFILE), env={LIST_SECONDS_ENV: ""})
    assert result.exit_code == 0, result.output
    assert "Acme" in result.output and "Globex" in result.output
