"""`deckgen release` on a real batch: send/ gets the customer decks without notes, never the seller brief."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation

import tools
from deckgen.cli import cli
from deckgen.resources import examples_dir

PROSPECTS = """\
id,company,industry,users,city,country,it_model,pain_points,decision_maker,decision_maker_role
p001,Alamo Dental,dental,25,San Antonio,US,break_fix,slow computers; ransomware worry,Maria Lopez,economic_buyer
p002,Thameside Accounts,accounting,40,London,GB,in_house,backups fail,Tom Reed,influencer
"""
DECKS = ["Alamo-Dental-p001.pptx", "Thameside-Accounts-p002.pptx"]
COACHING = b"PURPOSE:"  # how every notes page of the bundled decks starts


def run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def build(tmp: Path, *extra: str) -> Path:
    (tmp / "prospects.csv").write_text(PROSPECTS, encoding="utf-8")
    out = tmp / "decks"
    result = run(
        "batch", tmp / "prospects.csv", "--profile", examples_dir() / "profile.yaml",
        "--out-dir", out, "--date", "2026-11-25", "--jobs", "1", "--brief", *extra,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build(tmp_path_factory.mktemp("batch"))


@pytest.fixture
def folder(built, tmp_path):
    return Path(shutil.copytree(built, tmp_path / "decks"))  # copy2 keeps the PDFs' and decks' times


def approve(folder: Path, names: list[str]) -> Path:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, ["file", "company", "decision", "remark", "reviewer", "decided_at", "deck_sha256"])
    writer.writeheader()
    for name in names:
        digest = hashlib.sha256((folder / name).read_bytes()).hexdigest()
        writer.writerow({"file": name, "decision": "ready", "reviewer": "Dana", "deck_sha256": digest})
    path = folder.parent / "review-decisions.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def release(folder: Path, decisions: Path):
    result = run("release", folder, "--approved", decisions)
    assert result.exit_code == 0, result.output
    return json.loads((folder / "send" / "manifest.json").read_text(encoding="utf-8"))


def send_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((folder / "send").iterdir()) if p.name != "manifest.json"}


def test_send_gets_the_decks_without_notes_and_never_the_brief(folder):
    assert all((folder / n.replace(".pptx", "-brief.pptx")).is_file() for n in DECKS)
    seller_copies = {n: (folder / n).read_bytes() for n in DECKS}
    doc = release(folder, approve(folder, DECKS))
    assert sorted(send_files(folder)) == DECKS
    for entry in doc["sent"]:
        name = entry["file"]
        assert entry["kept_back"] == [name.replace(".pptx", "-brief.pptx")]
        assert entry["stripped"] == {"notes_slides": len(Presentation(folder / name).slides), "comment_parts": 0}
        sent = folder / "send" / name
        assert entry["files"] == {name: hashlib.sha256(sent.read_bytes()).hexdigest()}
        assert entry["sha256"] == hashlib.sha256(seller_copies[name]).hexdigest()
        with zipfile.ZipFile(sent) as z:
            assert not [n for n in z.namelist() if "notesSlide" in n]
            assert not [n for n in z.namelist() if b"notesSlide" in z.read(n) or COACHING in z.read(n)]
        prs = Presentation(sent)
        assert len(prs.slides) == entry["stripped"]["notes_slides"]
        assert not any(s.has_notes_slide for s in prs.slides)
        checked = run("check", sent)
        assert checked.exit_code == 0, checked.output
        # the seller's own copy keeps its notes, byte for byte
        assert (folder / name).read_bytes() == seller_copies[name]
        seller = Presentation(folder / name)
        assert all(s.has_notes_slide for s in seller.slides)
        assert seller.slides[0].notes_slide.notes_text_frame.text.startswith(COACHING.decode())


def test_releasing_twice_gives_the_same_send_files(folder, tmp_path):
    decisions = approve(folder, DECKS)
    release(folder, decisions)
    first = send_files(folder)
    release(folder, decisions)
    assert send_files(folder) == first
    shutil.rmtree(folder / "send")
    release(folder, decisions)
    assert send_files(folder) == first


@pytest.mark.slow
def test_the_pdf_goes_without_notes_and_the_prospects_copy_converts(tmp_path):
    tools.soffice_path()  # skip (fail under CI=true) before building anything
    folder = build(tmp_path, "--pdf")
    doc = release(folder, approve(folder, DECKS[:1]))
    pdf = DECKS[0].replace(".pptx", ".pdf")
    assert sorted(send_files(folder)) == [pdf, DECKS[0]]
    # --pdf exports the seller brief too; like its .pptx, the brief's PDF stays behind
    brief = DECKS[0].replace(".pptx", "-brief")
    assert doc["sent"][0]["kept_back"] == [f"{brief}.pptx", f"{brief}.pdf"]
    text = tools.pdf_text(folder / "send" / pdf)
    assert "Alamo Dental" in text and COACHING.decode() not in text
    from deckgen.export import export_pdfs

    results = export_pdfs([folder / "send" / DECKS[0]], tmp_path / "converted")
    converted = results[folder / "send" / DECKS[0]]
    assert not isinstance(converted, Exception), converted
    slides = len(Presentation(folder / "send" / DECKS[0]).slides)
    assert tools.pdf_page_count(converted) == slides
    assert COACHING.decode() not in tools.pdf_text(converted)
