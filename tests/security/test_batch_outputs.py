"""One bad output file never sinks a batch; resume trusts only complete decks; one batch per folder."""

from __future__ import annotations

import json
import os
import stat
import time

import pytest

from deckgen.batch.folder import batch_lock
from deckgen.batch.manifest import MANIFEST_NAME
from tests.security.test_batch import decks, report, run_batch

pytest.importorskip("deckgen.cli.batch")

CSV = b"company,notes\nAlpha Dental,ok\nBeta Law,ok\nGamma Clinic,ok\n"
BETA = "Beta-Law-3.pptx"


def customer_decks(out) -> list[str]:
    return [name for name in decks(out) if not name.endswith("-brief.pptx")]


def first_run(tmp_path):
    result, out = run_batch(tmp_path, CSV)
    assert result.exit_code == 0, result.output
    assert customer_decks(out) == ["Alpha-Dental-2.pptx", BETA, "Gamma-Clinic-4.pptx"]
    return out


def failed_rows(out) -> dict[int, dict]:
    return {r["row"]: r for r in report(out) if r["status"] == "failed"}


@pytest.mark.parametrize("kind", ["folder", "symlink", "read-only"])
def test_a_deck_that_cannot_be_replaced_fails_its_row_and_the_batch_goes_on(tmp_path, kind):
    out = tmp_path / "decks"
    out.mkdir()
    target = out / BETA
    outside = tmp_path / "outside.txt"
    if kind == "folder":
        target.mkdir()
    elif kind == "symlink":
        outside.write_text("not yours")
        target.symlink_to(outside)
    else:
        target.write_bytes(b"an old deck")
        target.chmod(0o444)
    result, out = run_batch(tmp_path, CSV)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "free some space" not in result.output
    failed = failed_rows(out)
    assert list(failed) == [3] and BETA in failed[3]["error"]["message"]
    built = {r["file"] for r in report(out) if r["status"] == "built"}
    assert built == {"Alpha-Dental-2.pptx", "Gamma-Clinic-4.pptx"}
    if kind == "symlink":
        assert outside.read_text() == "not yours" and target.is_symlink()
    if kind == "read-only":
        assert target.read_bytes() == b"an old deck"
    assert not list(out.glob(".deckgen-*.part"))


def test_build_refuses_to_replace_a_read_only_deck(tmp_path):
    from tests.security.util import build_cli

    prospect = tmp_path / "p.yaml"
    prospect.write_text("company: Acme\n", encoding="utf-8")
    out = tmp_path / "deck.pptx"
    out.write_bytes(b"keep me")
    out.chmod(0o444)
    result, _ = build_cli(tmp_path, prospect, out=out)
    assert result.exit_code == 2 and result.stderr.startswith("Error: ") and "read-only" in result.stderr
    assert out.read_bytes() == b"keep me"


def test_stale_part_files_from_a_killed_run_are_removed(tmp_path):
    out = first_run(tmp_path)
    stale = out / ".deckgen-abc123.part"
    stale.write_bytes(b"half a deck")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    result, out = run_batch(tmp_path, CSV)
    assert result.exit_code == 0 and not stale.exists()


@pytest.mark.parametrize("damage", [b"", b"PK\x03\x04 cut short"], ids=["empty", "truncated"])
def test_an_empty_or_truncated_deck_is_rebuilt_not_skipped(tmp_path, damage):
    out = first_run(tmp_path)
    good = (out / BETA).read_bytes()
    (out / BETA).write_bytes(damage if damage else b"")
    result, out = run_batch(tmp_path, CSV)
    assert result.exit_code == 0, result.output
    status = {r["file"]: r["status"] for r in report(out)}
    assert status[BETA] == "built" and status["Alpha-Dental-2.pptx"] == "skipped-unchanged"
    assert (out / BETA).read_bytes() == good


def test_a_deck_cut_to_a_plausible_length_is_rebuilt_too(tmp_path):
    out = first_run(tmp_path)
    data = (out / BETA).read_bytes()
    (out / BETA).write_bytes(data[:-100] + data[-22:])  # ends like a zip, but shorter than recorded
    result, out = run_batch(tmp_path, CSV)
    assert {r["file"]: r["status"] for r in report(out)}[BETA] == "built"


def test_a_second_batch_into_the_same_folder_is_refused_while_one_runs(tmp_path):
    out = tmp_path / "decks"
    out.mkdir()
    with batch_lock(out):
        result, out = run_batch(tmp_path, CSV)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: ") and "another deckgen batch" in result.stderr
    assert decks(out) == []
    result, out = run_batch(tmp_path, CSV)  # the lock went with the first batch
    assert result.exit_code == 0


@pytest.mark.parametrize(
    "content",
    [
        None,  # an entry with a score of 1e400
        b"[" * 100_000,
        b'{"format": "deckgen-manifest/1", "decks": {"x.pptx": []}}',
    ],
    ids=["1e400", "deep", "wrong-entry"],
)
def test_a_corrupt_manifest_is_a_warning_and_a_full_rebuild(tmp_path, content):
    out = first_run(tmp_path)
    path = out / MANIFEST_NAME
    if content is None:
        content = path.read_bytes().replace(b'"score": ', b'"score": 1e400, "_": ', 1)
    path.write_bytes(content)
    result, out = run_batch(tmp_path, CSV)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and "manifest" in result.stderr
    assert {r["status"] for r in report(out)} == {"built"}
    json.loads(path.read_text())  # rewritten whole


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_in_place_of_the_manifest_does_not_hang_the_batch(tmp_path):
    out = tmp_path / "decks"
    out.mkdir()
    os.mkfifo(out / MANIFEST_NAME)
    started = time.monotonic()
    result, out = run_batch(tmp_path, CSV)
    assert time.monotonic() - started < 60
    assert "manifest" in result.stderr and "Traceback" not in result.output


def test_decks_follow_the_umask_and_a_replaced_deck_keeps_its_mode(tmp_path):
    old = os.umask(0o077)
    try:
        out = first_run(tmp_path)
        for name in customer_decks(out) + [MANIFEST_NAME, "report.json"]:
            assert stat.S_IMODE((out / name).stat().st_mode) == 0o600, name
        os.umask(0o022)
        (out / BETA).chmod(0o640)
        result, out = run_batch(tmp_path, CSV, "--force")
        assert result.exit_code == 0
        assert stat.S_IMODE((out / BETA).stat().st_mode) == 0o640
        assert stat.S_IMODE((out / "Alpha-Dental-2.pptx").stat().st_mode) == 0o600
    finally:
        os.umask(old)
