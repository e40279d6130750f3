"""SIGTERM (a job runner, Kubernetes, ``kill``) stops any command like Ctrl-C: exit 130, no temp file left."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from tests.security.util import DATE, PROFILE, REPO

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX signals")

CHILD = textwrap.dedent("""
    import os, signal, sys
    sys.path.insert(0, {repo!r})
    real = os.fsync
    def fsync_then_terminated(fd):
        real(fd)
        os.kill(os.getpid(), signal.SIGTERM)  # arrives while the deck is between its temp file and its rename
    os.fsync = fsync_then_terminated
    from deckgen.cli.app import main
    sys.argv = ["deckgen", *{args!r}]
    main()
""")


def run_terminated(tmp_path, *args: str) -> subprocess.CompletedProcess:
    code = CHILD.format(repo=str(REPO), args=list(args))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path)


@pytest.mark.slow
def test_sigterm_during_build_leaves_the_previous_deck_and_no_part_file(tmp_path):
    prospect = tmp_path / "p.yaml"
    prospect.write_text("company: Acme\n", encoding="utf-8")
    out = tmp_path / "deck.pptx"
    out.write_bytes(b"the previous deck")
    proc = run_terminated(
        tmp_path, "build", "--profile", str(PROFILE), "--prospect", str(prospect), "--out", str(out), "--date", DATE
    )
    assert proc.returncode == 130, proc.stderr
    assert "Interrupted" in proc.stderr and "Traceback" not in proc.stderr
    assert out.read_bytes() == b"the previous deck"
    assert not list(tmp_path.glob(".deckgen-*"))


@pytest.mark.slow
def test_sigterm_during_demo_leaves_no_part_file(tmp_path):
    proc = run_terminated(tmp_path, "demo", "--out-dir", str(tmp_path / "decks"))
    assert proc.returncode == 130, proc.stderr
    assert "Traceback" not in proc.stderr
    assert not list(tmp_path.rglob(".deckgen-*.part"))
