"""The batch lock on a file system without ``flock`` (some network shares): an owner file made exclusively
keeps a second batch out; one a killed batch left on this host is taken over."""

from __future__ import annotations

import errno
import os
import socket
import subprocess
import sys

import pytest

from deckgen.batch import folder
from deckgen.batch.folder import LOCK_NAME, OWNER_SUFFIX, batch_lock
from deckgen.errors import OutputError

pytestmark = pytest.mark.skipif(folder.fcntl is None, reason="POSIX locks")


@pytest.fixture
def no_flock(monkeypatch):
    def refuses(fd, op):
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(folder.fcntl, "flock", refuses)


def owner_file(out):
    return out / (LOCK_NAME + OWNER_SUFFIX)


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_second_batch_is_kept_out_and_the_owner_file_goes_with_the_first(tmp_path, no_flock):
    with batch_lock(tmp_path):
        assert owner_file(tmp_path).read_text() == f"{socket.gethostname()} {os.getpid()}"
        with pytest.raises(OutputError, match=f"process {os.getpid()} on {socket.gethostname()}"):
            with batch_lock(tmp_path):
                pass
    assert not owner_file(tmp_path).exists()
    with batch_lock(tmp_path):  # free again
        pass


def test_an_owner_file_left_by_a_killed_batch_on_this_host_is_taken_over(tmp_path, no_flock):
    owner_file(tmp_path).write_text(f"{socket.gethostname()} {dead_pid()}")
    with batch_lock(tmp_path):
        assert owner_file(tmp_path).read_text().endswith(f" {os.getpid()}")
    assert not owner_file(tmp_path).exists()


def test_an_owner_file_from_another_host_is_respected_and_says_how_to_clear_it(tmp_path, no_flock):
    owner_file(tmp_path).write_text("build-server-7 4242")
    with pytest.raises(OutputError, match=f"process 4242 on build-server-7.*delete {LOCK_NAME}{OWNER_SUFFIX}"):
        with batch_lock(tmp_path):
            pass
    assert owner_file(tmp_path).read_text() == "build-server-7 4242"  # not ours to remove


def test_shards_have_owner_files_of_their_own(tmp_path, no_flock):
    from deckgen.batch.shard import Shard

    with batch_lock(tmp_path, Shard(1, 2)), batch_lock(tmp_path, Shard(2, 2)):
        pass


def test_with_flock_no_owner_file_is_made(tmp_path):
    with batch_lock(tmp_path):
        assert not owner_file(tmp_path).exists()


def test_batch_from_the_command_line_is_kept_out_where_the_folder_cannot_be_locked(tmp_path, no_flock):
    from tests.security.test_batch_outputs import CSV, decks, run_batch

    out = tmp_path / "decks"
    out.mkdir()
    with batch_lock(out):
        result, out = run_batch(tmp_path, CSV)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: ") and "another deckgen batch" in result.stderr
    assert decks(out) == []
    result, out = run_batch(tmp_path, CSV)  # the owner file went with the first batch
    assert result.exit_code == 0, result.output
    assert not owner_file(out).exists()
