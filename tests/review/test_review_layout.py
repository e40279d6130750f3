"""What each row of review.html holds: links under the company, the closing line's id (words on expand), a
duplicate flag, warnings tagged in plain words, and a strip that opens the PDF or the slides' PNG."""

from __future__ import annotations

import os
import re
from pathlib import Path

from deckgen.review import write_review
from deckgen.review.data import warning_kind
from deckgen.review.thumbs import strip_path
from tests.review.test_review import make_folder, report_row

CURRENCY = (
    "Prices and default figures are in USD (your profile) but this deck shows CAD; add 'CAD' under "
    "exchange_rates in the profile to convert them. Amounts are shown unconverted."
)


def test_warnings_get_a_kind_a_reviewer_can_scan():
    assert warning_kind(CURRENCY) == "currency"
    assert warning_kind("row 25: duplicate of row 4: same domain") == "duplicate"
    assert warning_kind("row 28, column 'Annual Revenue': '2-3M' is a range; used the middle, 2,500,000") == (
        "data guessed"
    )


def row_html(page: str, company: str) -> str:
    return next(tr for tr in re.findall(r"<tr id=.*?</tr>", page, re.S) if f'data-company="{company}"' in tr)


def strip_for(folder: Path, stem: str) -> None:
    from PIL import Image

    strip = strip_path(folder, stem)
    strip.parent.mkdir(exist_ok=True)
    Image.new("RGB", (400, 60)).save(strip)
    later = (folder / f"{stem}.pptx").stat().st_mtime_ns + 10**9
    os.utime(strip, ns=(later, later))


def test_a_row_links_its_files_under_the_name_and_shows_the_closing_lines_id(tmp_path):
    first = report_row(4, "Guerra, Whitaker & Lowe LLP", "B", 65, "gwl-p004.pptx")
    second = {
        **report_row(25, "Guerra Whitaker & Lowe", "B", 65, "gwl-p025.pptx", warnings=["row 25: duplicate of row 4: "
                                                                                      "same domain"]),
        "duplicate_of": 4,
    }  # fmt: skip
    folder = make_folder(tmp_path / "decks", [first, second, report_row(5, "Cad Co", "C", 50, "cad-p005.pptx",
                                                                      warnings=[CURRENCY])])  # fmt: skip
    (folder / "gwl-p004.pdf").write_bytes(b"%PDF")
    (folder / "gwl-p004-brief.pptx").write_bytes(b"brief")
    (folder / "gwl-p004-brief.pdf").write_bytes(b"%PDF brief")
    strip_for(folder, "gwl-p004")
    strip_for(folder, "gwl-p025")
    write_review(folder)
    page = (folder / "review.html").read_text(encoding="utf-8")
    tr = row_html(page, "Guerra, Whitaker &amp; Lowe LLP")
    company = re.search(r'<th scope="row".*?</th>', tr, re.S).group(0)
    for href in ("gwl-p004.pptx", "gwl-p004.pdf", "gwl-p004-brief.pptx", "gwl-p004-brief.pdf"):
        assert f'href="{href}"' in company  # under the name, not in a column off screen
    thumb = re.search(r'<td role="cell" class="thumbs">.*?</td>', tr, re.S).group(0)
    assert 'href="gwl-p004.pdf"' in thumb and ".pptx" not in thumb  # a click opens the PDF
    other = re.search(r'<td role="cell" class="thumbs">.*?</td>', row_html(page, "Guerra Whitaker &amp; Lowe"), re.S)
    assert 'href="previews/gwl-p025-strip.png"' in other.group(0)  # no PDF: the slides' PNG
    assert 'height="135"' in thumb
    assert "<details><summary>one-standard</summary>" in tr or "<q>" not in tr
    dup = row_html(page, "Guerra Whitaker &amp; Lowe")
    assert 'data-dup="duplicate of row 4: same domain"' in dup and 'class="dup"' in dup
    assert "data-dup" not in tr
    assert '<span class="kind">currency</span>' in row_html(page, "Cad Co")
    assert "<th" in page and "Files</th>" not in page  # no column of its own for the links


def test_confidence_and_reasons_come_from_the_report_when_the_list_is_gone(tmp_path):
    row = {**report_row(2, "Acme", "B", 65, "acme-p002.pptx"), "confidence": 0.5, "reasons": ["Acme fits."]}
    folder = make_folder(tmp_path / "decks", [row], input=str(tmp_path / "gone.csv"), profile=str(tmp_path / "p.yaml"))
    write_review(folder)
    tr = row_html((folder / "review.html").read_text(encoding="utf-8"), "Acme")
    assert 'data-conf="0.50"' in tr and "50 %" in tr and "<li>Acme fits.</li>" in tr
