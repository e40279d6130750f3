"""`init --force` never writes through a planted link and keeps edited files; absurd --shard is an Error."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from deckgen.cli import cli
from deckgen.errors import InputError
from deckgen.jobs import init_workspace
from deckgen.resources import examples_dir

pytestmark = pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")


def test_init_force_refuses_a_profile_that_is_a_link_and_leaves_its_target_alone(tmp_path):
    folder = tmp_path / "ws"
    folder.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    (folder / "profile.yaml").symlink_to(victim)
    result = CliRunner().invoke(cli, ["init", str(folder), "--force"])
    assert result.exit_code == 2 and result.stderr.startswith("Error: ") and "symbolic link" in result.stderr
    assert victim.read_text(encoding="utf-8") == "precious"


@pytest.mark.parametrize("link", ["prospects", "brand"])
def test_init_force_refuses_a_folder_that_is_a_link(tmp_path, link):
    folder = tmp_path / "ws"
    folder.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (folder / link).symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(InputError, match="symbolic link"):
        init_workspace(folder, force=True)
    assert list(elsewhere.iterdir()) == [] and not (folder / "profile.yaml").exists()


def test_init_force_keeps_an_edited_profile_as_a_backup(tmp_path):
    folder = tmp_path / "ws"
    assert init_workspace(folder) == []
    edited = (folder / "profile.yaml").read_text(encoding="utf-8") + "\n# my own notes\n"
    (folder / "profile.yaml").write_text(edited, encoding="utf-8")
    notes = init_workspace(folder, force=True)
    assert (folder / "profile.yaml").read_bytes() == (examples_dir() / "profile.yaml").read_bytes()
    assert (folder / "profile.yaml.bak").read_text(encoding="utf-8") == edited
    assert [str(n) for n in notes] == [f"{folder / 'profile.yaml'}: kept your edited profile.yaml as profile.yaml.bak"]
    (folder / "profile.yaml").write_text("again", encoding="utf-8")
    init_workspace(folder, force=True)
    assert (folder / "profile.yaml.bak2").read_text(encoding="utf-8") == "again"


def test_init_force_over_an_untouched_workspace_makes_no_backups(tmp_path):
    folder = tmp_path / "ws"
    init_workspace(folder)
    assert init_workspace(folder, force=True) == []
    assert not list(folder.rglob("*.bak"))


def test_init_into_a_folder_that_is_a_link_is_refused(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "ws").symlink_to(real, target_is_directory=True)
    with pytest.raises(InputError, match="symbolic link"):
        init_workspace(tmp_path / "ws", force=True)
    assert list(real.iterdir()) == []


def test_a_shard_with_thousands_of_digits_is_an_error_not_a_traceback(tmp_path):
    (tmp_path / "list.csv").write_text("company\nAcme\n", encoding="utf-8")
    shard = "1/" + "9" * 5000
    result = CliRunner().invoke(
        cli, ["batch", "-p", str(examples_dir() / "profile.yaml"), str(tmp_path / "list.csv"), "--shard", shard]
    )
    assert result.exit_code == 2 and "Error: " in result.stderr and "--shard" in result.stderr
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
