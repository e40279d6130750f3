"""review.html and `deckgen release` on synthetic batch folders (no LibreOffice, no browser: fast).

The folders hold a report.json as `deckgen batch` writes it and small stand-in deck files; the review page
reads only those. The real batch and a real browser are in tests/acceptance/test_review_browser.py.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from deckgen.cli import cli
from deckgen.review import release, write_review
from deckgen.review.data import band_label, load_review_data, warning_kind
from deckgen.review.thumbs import key_slides, make_strip, png_size, strip_path

HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> & Co'


def report_row(row, company, band, score, file="", status="built", warnings=(), error=None):
    return {
        "row": row,
        "id": f"p{row:03d}",
        "company": company,
        "status": status,
        "file": file or None,
        "score": score,
        "band": band or None,
        "closing": "one-standard" if band else None,
        "warnings": list(warnings),
        "error": error,
    }


def make_folder(out: Path, rows: list[dict], **meta) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    for r in rows:
        if r["file"] and r["status"] != "failed":
            (out / r["file"]).write_bytes(f"deck of row {r['row']}".encode())
    doc = {
        "format": "deckgen-batch-report/1",
        "generated": "2026-11-22T21:00:00.000000Z",
        "date": "2026-11-25",
        "brand": "Ridgeline",
        "seconds": 12.5,
        **meta,
        "rows": rows,
    }
    (out / "report.json").write_text(json.dumps(doc), encoding="utf-8")
    return out


@pytest.fixture
def folder(tmp_path):
    return make_folder(
        tmp_path / "decks",
        [
            report_row(2, "Low Co", "C", 45, "low-p002.pptx", warnings=["row 2: the industry is unknown"]),
            report_row(3, HOSTILE, "walk_away", 20, "hostile-p003.pptx"),
            report_row(4, "Best Co", "A", 91, "best-p004.pptx"),
            report_row(5, "Odd Co", "mystery_band", 50, "odd-p005.pptx"),
            report_row(6, "Broken Co", "", None, status="failed", error={"message": "no company", "field": "company"}),
            report_row(7, "Thin Co", "qualify_first", 70, "thin-p007.pptx", status="skipped-unchanged"),
        ],
    )


def page(folder: Path) -> str:
    return (folder / "review.html").read_text(encoding="utf-8")


def row_files(html: str) -> list[str]:
    return re.findall(r'<tr id="r\d+" role="row" data-file="([^"]*)"', html)


def test_the_page_ranks_decks_by_verdict_then_score_and_lists_failed_rows(folder):
    outcome = write_review(folder)
    html = page(folder)
    assert row_files(html) == [
        "best-p004.pptx",
        "low-p002.pptx",
        "thin-p007.pptx",
        "hostile-p003.pptx",
        "odd-p005.pptx",
    ]
    assert [r.row for r in outcome.data.failed] == [6]
    assert "row 6 · Broken Co · company: no company" in html
    assert "<dt>Decks</dt><dd><strong>5</strong>" in html
    assert "12.5 s" in html


def test_every_value_from_the_data_is_escaped(folder):
    write_review(folder)
    html = page(folder)
    assert html.count("<script") == 1  # the page's own script, nothing from the data
    assert "<img src=x" not in html and 'onerror="window' not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html).group(1)
    assert "default-src &#x27;none&#x27;" in csp and "script-src &#x27;sha256-" in csp


def test_the_script_hash_in_the_policy_is_the_inlined_script(folder):
    import base64

    write_review(folder)
    html = page(folder)
    script = re.search(r"<script>(.*)</script>", html, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"sha256-{digest}" in html


def test_unknown_bands_are_shown_by_their_text_and_qualify_first_by_its_label(folder):
    write_review(folder)
    html = page(folder)
    assert '<span class="band band-other">Mystery band</span>' in html
    assert '<span class="band band-qualify_first">Qualify first</span>' in html
    assert band_label("walk_away") == "Walk away"
    assert band_label("") == "No verdict"


def test_links_to_pdf_and_brief_appear_only_when_the_files_exist(folder):
    (folder / "best-p004.pdf").write_bytes(b"%PDF")
    (folder / "best-p004-brief.pptx").write_bytes(b"brief")
    write_review(folder)
    html = page(folder)
    assert 'href="best-p004.pdf"' in html and 'href="best-p004-brief.pptx"' in html
    assert 'href="low-p002.pdf"' not in html and 'href="low-p002-brief.pptx"' not in html


def test_link_names_are_percent_encoded(tmp_path):
    out = make_folder(tmp_path / "d", [report_row(2, "恒信", "A", 90, "恒信 #1-p002.pptx")])
    write_review(out)
    assert 'href="%E6%81%92%E4%BF%A1%20%231-p002.pptx"' in page(out)


def test_changes_since_the_last_review_page(folder):
    first = write_review(folder).data.changes
    assert first == {"new": 5, "rebuilt": 0, "unchanged": 0}
    assert write_review(folder).data.changes == {"new": 0, "rebuilt": 0, "unchanged": 5}
    (folder / "best-p004.pptx").write_bytes(b"rebuilt with other bytes")
    data = write_review(folder).data
    assert data.changes == {"new": 0, "rebuilt": 1, "unchanged": 4}
    assert next(r for r in data.rows if r.file == "best-p004.pptx").change == "rebuilt"


def test_deck_hashes_are_the_sha256_of_the_files(folder):
    data = load_review_data(folder)
    for r in data.rows:
        assert r.sha256 == hashlib.sha256((folder / r.file).read_bytes()).hexdigest()


def test_a_folder_without_a_report_is_an_input_error(tmp_path):
    result = CliRunner().invoke(cli, ["review", str(tmp_path)])
    assert result.exit_code == 2
    assert "Error:" in result.output and "report.json" in result.output


def test_warnings_are_tagged_in_plain_words():
    assert warning_kind("slide 2, shape 'Close': text shrunk from 16 pt to 15 pt") == "text shrunk"
    assert warning_kind("font 'Aptos' is missing; measured with Carlito") == "font missing"
    assert warning_kind("cannot tell the IT model from 'bogus'; left as unknown") == "data unknown"


def test_key_slides_take_the_first_the_last_and_between():
    assert key_slides(3) == [0, 1, 2]
    assert key_slides(8) == [0, 2, 5, 7]
    assert key_slides(0) == []


def test_a_strip_puts_the_key_slides_side_by_side(tmp_path):
    from PIL import Image

    pngs = []
    for i in range(6):
        p = tmp_path / f"s{i}.png"
        Image.new("RGB", (160, 90), (i * 40, 0, 0)).save(p)
        pngs.append(p)
    out = make_strip(pngs, strip_path(tmp_path, "deck"), height=45)
    w, h = png_size(out)
    assert h == 45 and w == 4 * 80 + 3 * 4


def test_the_thumbnail_is_used_only_when_newer_than_the_deck(folder):
    import os

    from PIL import Image

    strip = strip_path(folder, "best-p004")
    strip.parent.mkdir()
    Image.new("RGB", (100, 20)).save(strip)
    deck = folder / "best-p004.pptx"
    os.utime(strip, ns=(deck.stat().st_mtime_ns + 10**9,) * 2)
    write_review(folder)
    assert 'src="previews/best-p004-strip.png"' in page(folder)
    os.utime(strip, ns=(deck.stat().st_mtime_ns - 10**9,) * 2)
    write_review(folder)
    assert "best-p004-strip.png" not in page(folder)


# --------------------------------------------------------------------------- release


def decisions(path: Path, lines: list[dict]) -> Path:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, ["file", "company", "decision", "remark", "reviewer", "decided_at", "deck_sha256"])
    writer.writeheader()
    writer.writerows(lines)
    path.write_text("\ufeff" + buf.getvalue(), encoding="utf-8")
    return path


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pptx_with_notes(path: Path, note: str = "Strong fit at 93/100: let that number land") -> Path:
    """A real two-slide deck whose slides carry speaker notes (release refuses what is not a deck)."""
    from pptx import Presentation

    prs = Presentation()
    for title in ("Hello", "Next step"):
        slide = prs.slides.add_slide(prs.slide_layouts[5])
        slide.shapes.title.text = title
        slide.notes_slide.notes_text_frame.text = note
    prs.save(path)
    return path


def line(folder, name, decision="ready", **kw):
    return {
        "file": name,
        "decision": decision,
        "reviewer": "'=Dana Reviewer",
        "decided_at": "2026-11-23T07:00:00Z",
        "deck_sha256": sha(folder / name) if (folder / name).is_file() else "0" * 64,
        **kw,
    }


def test_release_copies_only_approved_decks_whose_hash_matches(folder, tmp_path):
    pptx_with_notes(folder / "best-p004.pptx")
    (folder / "best-p004.pdf").write_bytes(b"%PDF best")
    (folder / "best-p004-brief.pptx").write_bytes(b"brief best")
    (folder / "best-p004-brief.pdf").write_bytes(b"%PDF brief best")
    stale = line(folder, "low-p002.pptx")
    (folder / "low-p002.pptx").write_bytes(b"changed after approval")
    csv_path = decisions(
        tmp_path / "review-decisions.csv",
        [
            line(folder, "best-p004.pptx", remark="'+ looks good"),
            stale,
            line(folder, "thin-p007.pptx", "hold", remark="call first"),
            line(folder, "../outside.pptx"),
            line(folder, "odd-p005.pptx", "maybe"),
        ],
    )
    result = CliRunner().invoke(cli, ["release", str(folder), "--approved", str(csv_path)])
    assert result.exit_code == 1, result.output
    assert "Sent 1 deck(s)" in result.output
    assert "low-p002.pptx: not sent: the deck changed after it was approved" in result.output
    send = folder / "send"
    assert sorted(p.name for p in send.iterdir()) == ["best-p004.pdf", "best-p004.pptx", "manifest.json"]
    doc = json.loads((send / "manifest.json").read_text(encoding="utf-8"))
    (entry,) = doc["sent"]
    assert entry["approved_by"] == "=Dana Reviewer"  # the export's formula guard is undone, JSON is not a sheet
    assert entry["approved_at"] == "2026-11-23T07:00:00Z"
    assert entry["remark"] == "+ looks good"
    assert entry["sha256"] == sha(folder / "best-p004.pptx")  # the deck the reviewer approved
    assert entry["files"] == {
        "best-p004.pptx": sha(send / "best-p004.pptx"),
        "best-p004.pdf": sha(folder / "best-p004.pdf"),
    }
    assert entry["files"]["best-p004.pptx"] != entry["sha256"]  # the prospect's copy has no notes
    assert entry["kept_back"] == ["best-p004-brief.pptx", "best-p004-brief.pdf"]
    assert entry["stripped"] == {"notes_slides": 2, "comment_parts": 0}
    reasons = {d["file"]: d["reason"] for d in doc["not_sent"]}
    assert reasons["thin-p007.pptx"] == "on hold"
    assert reasons["../outside.pptx"] == "not a deck of this folder's batch report"
    assert "unknown decision" in reasons["odd-p005.pptx"]
    assert not (tmp_path / "outside.pptx").exists()


def test_a_second_release_takes_out_decks_no_longer_approved(folder, tmp_path):
    pptx_with_notes(folder / "best-p004.pptx")
    pptx_with_notes(folder / "low-p002.pptx", "Objection: price. Answer with the downtime figure.")
    csv_path = decisions(tmp_path / "d.csv", [line(folder, "best-p004.pptx"), line(folder, "low-p002.pptx")])
    assert release(folder, csv_path).sent == ["best-p004.pptx", "low-p002.pptx"]
    csv_path = decisions(tmp_path / "d.csv", [line(folder, "best-p004.pptx"), line(folder, "low-p002.pptx", "hold")])
    result = release(folder, csv_path)
    assert result.sent == ["best-p004.pptx"] and result.removed == ["low-p002.pptx"]
    assert not (folder / "send" / "low-p002.pptx").exists()


def test_release_refuses_a_file_that_is_not_a_decisions_export(folder, tmp_path):
    bad = tmp_path / "x.csv"
    bad.write_text("name,ok\na,b\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["release", str(folder), "--approved", str(bad)])
    assert result.exit_code == 2
    assert "Error:" in result.output and "deck_sha256" in result.output
    assert not (folder / "send").exists()


def test_a_seller_brief_an_earlier_release_sent_is_taken_out(folder, tmp_path):
    pptx_with_notes(folder / "best-p004.pptx")
    (folder / "best-p004-brief.pptx").write_bytes(b"brief best")
    send = folder / "send"
    send.mkdir()
    (send / "best-p004-brief.pptx").write_bytes(b"brief best")
    old = {"sent": [{"file": "best-p004.pptx", "files": {"best-p004.pptx": "", "best-p004-brief.pptx": ""}}]}
    (send / "manifest.json").write_text(json.dumps(old), encoding="utf-8")
    (send / "best-p004-brief.pdf").write_bytes(b"%PDF brief copied by hand")
    result = release(folder, decisions(tmp_path / "d.csv", [line(folder, "best-p004.pptx")]))
    assert result.sent == ["best-p004.pptx"]
    assert result.removed == ["best-p004-brief.pdf", "best-p004-brief.pptx"]
    assert sorted(p.name for p in send.iterdir()) == ["best-p004.pptx", "manifest.json"]
    assert (folder / "best-p004-brief.pptx").read_bytes() == b"brief best"  # the seller's copy stays


def test_release_refuses_a_deck_it_cannot_take_the_notes_out_of(folder, tmp_path):
    csv_path = decisions(tmp_path / "d.csv", [line(folder, "best-p004.pptx")])  # stand-in bytes, not a zip
    result = CliRunner().invoke(cli, ["release", str(folder), "--approved", str(csv_path)])
    assert result.exit_code == 1
    assert "best-p004.pptx: not sent: cannot take the speaker notes out (not a PowerPoint file" in result.output
    assert not (folder / "send" / "best-p004.pptx").exists()
