"""`deckgen batch` on hostile exports: bad rows are skipped and reported, names stay safe, outputs are safe."""

from __future__ import annotations

import csv
import errno
import io
import json
import os

import pytest
from click.testing import CliRunner

from deckgen import output as package
from deckgen.cli import cli
from tests.security.util import DATE, PROFILE, FailingFile

pytest.importorskip("deckgen.cli.batch")  # the batch command registers itself from its own module


def run_batch(tmp_path, data: bytes, *extra: str, name: str = "export.csv"):
    export = tmp_path / name
    export.write_bytes(data)
    out = tmp_path / "decks"
    result = CliRunner().invoke(
        cli,
        [
            "batch",
            str(export),
            "--profile",
            str(PROFILE),
            "--out-dir",
            str(out),
            "--date",
            DATE,
            "--jobs",
            "1",
            "--quiet",
            *extra,
        ],
    )
    return result, out


def decks(out) -> list[str]:
    """The customer decks in ``out`` (a seller brief, ``*-brief.pptx``, goes with each)."""
    return sorted(p.name for p in out.glob("*.pptx") if not p.name.endswith("-brief.pptx")) if out.exists() else []


def report(out) -> list[dict]:
    return json.loads((out / "report.json").read_text(encoding="utf-8"))["rows"]


def test_bad_rows_are_reported_and_skipped_and_the_batch_goes_on(tmp_path):
    data = b"company,notes\nGood One,ok\nRagged,a,b,c\n,no company\nHuge," + b"x" * (200 * 1024) + b"\nGood Two,ok\n"
    result, out = run_batch(tmp_path, data)
    assert result.exit_code == 1, result.output
    assert decks(out) == ["Good-One-2.pptx", "Good-Two-6.pptx"]
    failed = {r["row"]: r for r in report(out) if r["status"] == "failed"}
    assert sorted(failed) == [3, 4, 5]
    assert "4 cells but the header has 2" in failed[3]["error"]["message"]
    assert "no company name" in failed[4]["error"]["message"]
    assert "too long" in failed[5]["error"]["message"] and failed[5]["error"]["field"] == "notes"
    assert "row 3" in result.output and "Traceback" not in result.output


def test_an_export_in_an_unknown_encoding_stops_before_any_deck_with_exit_2(tmp_path):
    result, out = run_batch(tmp_path, "company,city\nОблако ООО,Москва\n".encode("cp1251"))
    assert result.exit_code == 2 and result.stderr.startswith("Error: ") and "--encoding" in result.stderr
    assert decks(out) == []


def test_the_encoding_option_reads_it(tmp_path):
    result, out = run_batch(tmp_path, "company,city\nОблако ООО,Москва\n".encode("cp1251"), "--encoding", "cp1251")
    assert result.exit_code == 0, result.output
    assert decks(out) == ["Облако-ООО-2.pptx"]


HOSTILE_COMPANIES = [
    "../../x",
    "/etc/passwd",
    "a/b",
    "CON",
    "aux.txt",
    "trailing. . .",
    "..",
    ".",
    "x" * 300,
    "é" * 130,
    "Café",
    "Cafe\u0301",
    "CAFÉ",
    "C:\\Windows\\evil",
]


@pytest.mark.parametrize("pattern", ["{company}", "{company}-{id}", "../{company}", "{city}/{company}"])
def test_name_patterns_over_hostile_values_give_safe_unique_files_inside_the_folder(tmp_path, pattern):
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["company", "city"])
    for i, company in enumerate(HOSTILE_COMPANIES):
        writer.writerow([company, "../../etc" if i % 2 else "/tmp"])
    result, out = run_batch(tmp_path, buf.getvalue().encode("utf-8"), "--name", pattern)
    assert result.exit_code == 0, result.output
    names = decks(out)
    assert len(names) == len(HOSTILE_COMPANIES)
    assert len({n.casefold() for n in names}) == len(names)
    everything = sorted(
        p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.pptx") if not p.name.endswith("-brief.pptx")
    )
    assert everything == sorted(f"decks/{n}" for n in names)  # nothing written anywhere else
    for n in names:
        assert len(n.encode("utf-8")) <= 255 and not n.startswith(".")
        assert n.split(".")[0].lower() not in {"con", "prn", "aux", "nul"}
    files = {r["file"] for r in report(out)}
    assert files == set(names)  # the report says which file each row became


def test_values_that_would_be_formulas_are_neutralised_in_the_csv_report(tmp_path):
    data = b'company,notes\n"=HYPERLINK(""http://evil.example"",""x"")",ok\n@SUM(1+1),ok\n+cmd|calc,ok\n'
    result, out = run_batch(tmp_path, data)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO((out / "report.csv").read_text(encoding="utf-8-sig"))))
    assert [r["company"] for r in rows] == ['\'=HYPERLINK("http://evil.example","x")', "'@SUM(1+1)", "'+cmd|calc"]


def test_a_read_only_output_folder_stops_the_batch_with_exit_2(tmp_path, monkeypatch):
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if mode == os.W_OK else real(p, mode, **kw))
    result, out = run_batch(tmp_path, b"company\nAcme\nBeta\n")
    assert result.exit_code == 2 and "not writable" in result.stderr and decks(out) == []


def test_a_full_disk_stops_the_batch_at_once_with_exit_2_and_leaves_no_partial_file(tmp_path, monkeypatch):
    real = os.fdopen
    writes: list[str] = []

    def disk_fills_after_three_files(fd, *args, **kwargs):
        writes.append("w")
        fh = real(fd, *args, **kwargs)
        return fh if len(writes) <= 3 else FailingFile(fh, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))

    monkeypatch.setattr(package.os, "fdopen", disk_fills_after_three_files)
    result, out = run_batch(tmp_path, b"company\n" + b"".join(b"Co %d\n" % i for i in range(20)))
    assert result.exit_code == 2 and "No space left on device" in result.stderr
    assert not list(out.glob(".deckgen-*.part"))
    assert len(list(out.glob("*.pptx"))) == 3  # the three files written before the disk filled
    assert len(writes) <= 6, f"{len(writes)} writes: the batch went on after the disk was full"


def test_name_pattern_widths_and_conversions_are_refused_before_anything_is_built(tmp_path):
    for pattern in ("{company:>999999999}", "{company!r}"):
        result, out = run_batch(tmp_path, b"company\nAcme\n", "--name", pattern)
        assert result.exit_code == 2 and "--name" in result.stderr
        assert not decks(out)
