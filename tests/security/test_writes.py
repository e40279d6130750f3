"""Writing decks: Ctrl-C or a crash never leaves a partial file or damages the previous deck;
a full disk or a read-only folder is a clear error (exit 2)."""

from __future__ import annotations

import errno
import os
import tempfile

import pytest

from deckgen import output as package
from deckgen.errors import OutputError
from deckgen.output import atomic_write
from tests.security.util import FailingFile, build_cli

OLD = b"the previous deck"


@pytest.fixture
def previous(tmp_path):
    deck = tmp_path / "deck.pptx"
    deck.write_bytes(OLD)
    return deck


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".deckgen-") or p.suffix == ".part")


def fail_mid_write(monkeypatch, exc):
    real = os.fdopen
    monkeypatch.setattr(package.os, "fdopen", lambda fd, mode: FailingFile(real(fd, mode), exc, half=True))


@pytest.mark.parametrize(
    "exc", [KeyboardInterrupt(), RuntimeError("crash"), MemoryError()], ids=["ctrl-c", "crash", "out-of-memory"]
)
def test_an_interruption_mid_write_leaves_the_previous_deck_and_no_partial_file(tmp_path, previous, monkeypatch, exc):
    fail_mid_write(monkeypatch, exc)
    with pytest.raises(type(exc)):
        atomic_write(previous, b"x" * 1_000_000)
    assert previous.read_bytes() == OLD and leftovers(tmp_path) == []


@pytest.mark.parametrize("step", ["fsync", "chmod", "replace"])
def test_ctrl_c_at_any_later_step_leaves_the_previous_deck_and_no_partial_file(tmp_path, previous, monkeypatch, step):
    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(package.os, step, interrupt)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(previous, b"new deck")
    assert previous.read_bytes() == OLD and leftovers(tmp_path) == []


def test_a_full_disk_is_an_output_error_and_leaves_nothing_behind(tmp_path, previous, monkeypatch):
    fail_mid_write(monkeypatch, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    with pytest.raises(OutputError) as info:
        atomic_write(previous, b"new deck")
    assert "No space left on device" in str(info.value) and info.value.exit_code == 2
    assert previous.read_bytes() == OLD and leftovers(tmp_path) == []


def test_a_read_only_folder_is_an_output_error(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(OutputError, match="not writable"):
        atomic_write(tmp_path / "deck.pptx", b"new deck")


# --------------------------------------------------------------------------- through deckgen build


@pytest.fixture
def prospect(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("company: Acme\n", encoding="utf-8")
    return path


def test_deckgen_build_interrupted_while_saving_keeps_the_previous_deck(tmp_path, previous, prospect, monkeypatch):
    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(package.os, "replace", interrupt)
    result, _ = build_cli(tmp_path, prospect, out=previous)
    assert result.exit_code == 130 and "Interrupted" in result.stderr
    assert previous.read_bytes() == OLD and leftovers(tmp_path) == []


def test_deckgen_build_on_a_full_disk_exits_2_with_an_error(tmp_path, previous, prospect, monkeypatch):
    fail_mid_write(monkeypatch, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    result, _ = build_cli(tmp_path, prospect, out=previous)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and "No space left on device" in result.stderr
    assert "Traceback" not in result.output
    assert previous.read_bytes() == OLD and leftovers(tmp_path) == []


def test_deckgen_build_into_a_read_only_folder_exits_2_with_an_error(tmp_path, prospect, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    result, out = build_cli(tmp_path, prospect)
    assert result.exit_code == 2 and "not writable" in result.stderr and not out.exists()
