"""`deckgen batch --pdf` again: only the PDFs whose deck changed are converted; seller briefs get a PDF too.

LibreOffice is replaced by a stand-in that writes a PDF per file and records what it was asked to convert.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from deckgen.batch import exports
from deckgen.batch.exports import SOURCES_NAME, export_decks


@pytest.fixture
def converted(monkeypatch) -> list[str]:
    calls: list[str] = []

    def fake_convert(paths, out_dir, *, workers=1):
        results = {}
        for p in paths:
            calls.append(p.name)
            pdf = Path(out_dir) / f"{p.stem}.pdf"
            pdf.write_bytes(b"%PDF of " + p.read_bytes())
            results[p] = pdf
        return results

    monkeypatch.setattr(exports, "convert_pdfs", fake_convert)
    return calls


def folder_of_decks(out: Path) -> list[Path]:
    out.mkdir()
    decks = []
    for name in ("alpha", "beta", "gamma"):
        (out / f"{name}.pptx").write_bytes(f"deck {name}".encode())
        decks.append(out / f"{name}.pptx")
    (out / "alpha-brief.pptx").write_bytes(b"brief alpha")
    return decks


def test_pdf_exports_the_seller_brief_too(tmp_path, converted):
    decks = folder_of_decks(tmp_path / "out")
    outcome = export_decks(decks, tmp_path / "out", pdf=True, preview=False, jobs=1)
    assert sorted(converted) == ["alpha-brief.pptx", "alpha.pptx", "beta.pptx", "gamma.pptx"]
    assert (outcome.pdfs, outcome.briefs, outcome.unchanged) == (3, 1, 0)
    assert (tmp_path / "out" / "alpha-brief.pdf").read_bytes() == b"%PDF of brief alpha"


def test_a_rerun_converts_only_the_decks_that_changed(tmp_path, converted):
    out = tmp_path / "out"
    decks = folder_of_decks(out)
    export_decks(decks, out, pdf=True, preview=False, jobs=1)
    converted.clear()
    before = {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")}
    outcome = export_decks(decks, out, pdf=True, preview=False, jobs=1)
    assert converted == [] and (outcome.pdfs, outcome.unchanged) == (0, 4)
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")} == before
    # beta's deck is rebuilt with other bytes; gamma's is rewritten with the same bytes but its PDF is older
    (out / "beta.pptx").write_bytes(b"deck beta, rebuilt")
    later = (out / "alpha.pdf").stat().st_mtime_ns + 10**9
    os.utime(out / "beta.pptx", ns=(later, later))
    os.utime(out / "gamma.pptx", ns=(later, later))
    outcome = export_decks(decks, out, pdf=True, preview=False, jobs=1)
    assert sorted(converted) == ["beta.pptx", "gamma.pptx"] and outcome.unchanged == 2
    assert (out / "beta.pdf").read_bytes() == b"%PDF of deck beta, rebuilt"


def test_a_pdf_not_made_from_the_decks_bytes_is_made_again(tmp_path, converted):
    out = tmp_path / "out"
    decks = folder_of_decks(out)
    export_decks(decks, out, pdf=True, preview=False, jobs=1)
    converted.clear()
    (out / "beta.pptx").write_bytes(b"other bytes")  # same time stamp as before or older than the PDF
    os.utime(out / "beta.pptx", ns=(0, 0))
    export_decks(decks, out, pdf=True, preview=False, jobs=1)
    assert converted == ["beta.pptx"]
    (out / SOURCES_NAME).write_text("not json")  # no record of what the PDFs came from: all made again
    converted.clear()
    export_decks(decks, out, pdf=True, preview=False, jobs=1)
    assert len(converted) == 4


def test_a_rerun_after_ctrl_c_converts_only_what_the_interrupted_run_did_not(tmp_path, monkeypatch, converted):
    out = tmp_path / "out"
    decks = folder_of_decks(out)
    (out / "gamma.pdf").write_bytes(b"%PDF of an older gamma")  # left by an earlier deck, older than this one
    older = (out / "gamma.pptx").stat().st_mtime_ns - 10**9
    os.utime(out / "gamma.pdf", ns=(older, older))

    def interrupted(paths, out_dir, *, workers=1):
        for p in list(paths)[:2]:  # two PDFs published, then Ctrl-C
            (Path(out_dir) / f"{p.stem}.pdf").write_bytes(b"%PDF of " + p.read_bytes())
        raise KeyboardInterrupt

    real = exports.convert_pdfs
    monkeypatch.setattr(exports, "convert_pdfs", interrupted)
    with pytest.raises(KeyboardInterrupt):
        export_decks(decks, out, pdf=True, preview=False, jobs=1)
    monkeypatch.setattr(exports, "convert_pdfs", real)
    outcome = export_decks(decks, out, pdf=True, preview=False, jobs=1)
    assert sorted(converted) == ["alpha-brief.pptx", "gamma.pptx"]  # alpha and beta were done before Ctrl-C
    assert (outcome.pdfs, outcome.briefs, outcome.unchanged) == (1, 1, 2)
    assert (out / "gamma.pdf").read_bytes() == b"%PDF of deck gamma"
