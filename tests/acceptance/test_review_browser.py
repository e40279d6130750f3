"""review.html in a real browser: Debian's chromium, headless, loading the page from disk.

A real `deckgen batch` writes the page (one company name is an attack); the tests check the rows, the
filters, sorting, the keyboard, the marks kept in the browser, the export and `deckgen release` on it,
through the DOM, and take a screenshot. A 1,000-deck page is timed (printed, never asserted on).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))
import browser  # noqa: E402
from test_batch_cli import DATE, PROFILE, prospect_rows, write_csv  # noqa: E402

import tools  # noqa: E402
from deckgen.cli import cli  # noqa: E402

pytestmark = pytest.mark.slow

ATTACK = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> Ltd'


@pytest.fixture(scope="module")
def batch_dir(tmp_path_factory):
    browser.chromium_path()  # skip (fail under CI=true) before building anything
    tmp = tmp_path_factory.mktemp("review")
    rows = prospect_rows(6)
    rows[1]["company"] = ATTACK
    rows[3]["it_model"] = "bogus"  # a warning
    src = write_csv(tmp / "prospects.csv", rows)
    out = tmp / "decks"
    result = CliRunner().invoke(
        cli,
        ["batch", str(src), "--profile", str(PROFILE), "--out-dir", str(out), "--date", DATE, "--jobs", "1"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert "Review page:" in result.output
    return out


@pytest.fixture(scope="module")
def chrome():
    with browser.Chromium(1500, 1000) as b:
        yield b


def visible(b) -> list[str]:
    return b.js("Array.from(document.querySelectorAll('#rows tr')).filter(r => !r.hidden).map(r => r.dataset.file)")


def set_control(b, element_id: str, value: str) -> None:
    b.js(
        f"(() => {{ const el = document.getElementById({json.dumps(element_id)}); el.value = {json.dumps(value)};"
        " el.dispatchEvent(new Event('input', {bubbles: true})); el.dispatchEvent(new Event('change', "
        "{bubbles: true})); })()"
    )


def test_rows_render_ranked_and_the_attack_does_not_run(batch_dir, chrome):
    chrome.open(batch_dir / "review.html")
    report = json.loads((batch_dir / "report.json").read_text(encoding="utf-8"))
    assert len(visible(chrome)) == len(report["rows"]) == 6
    assert chrome.js("window.__pwned === undefined")
    names = chrome.js("Array.from(document.querySelectorAll('#rows .company .name')).map(e => e.textContent)")
    assert ATTACK in names  # shown as text
    bands = chrome.js("Array.from(document.querySelectorAll('#rows tr')).map(r => r.dataset.band)")
    order = ["A", "B", "C", "qualify_first", "walk_away"]
    assert bands == sorted(bands, key=lambda b: order.index(b) if b in order else len(order))
    assert chrome.js("document.getElementById('shown').textContent") == "Showing 6 of 6 decks"
    assert chrome.console_errors() == []


def test_filters_search_and_sorting_work_through_the_dom(batch_dir, chrome):
    chrome.open(batch_dir / "review.html")
    set_control(chrome, "f-band", "walk_away")
    rows = json.loads((batch_dir / "report.json").read_text(encoding="utf-8"))["rows"]
    walk = [r["file"] for r in rows if r["band"] == "walk_away"]
    assert walk
    assert sorted(visible(chrome)) == sorted(walk)
    assert "band=walk_away" in chrome.js("location.hash")
    set_control(chrome, "f-band", "")
    word = rows[-1]["company"].split()[0]  # the last row's company, by its first word
    expected = sorted(r["file"] for r in rows if word.lower() in r["company"].lower())
    set_control(chrome, "q", word.upper())
    assert sorted(visible(chrome)) == expected
    set_control(chrome, "q", "")
    set_control(chrome, "f-warn", "1")
    assert len(visible(chrome)) >= 1
    assert chrome.js(
        "Array.from(document.querySelectorAll('#rows tr')).filter(r => !r.hidden).every(r => +r.dataset.warn > 0)"
    )
    set_control(chrome, "f-warn", "")
    set_control(chrome, "sort", "score-asc")
    scores = chrome.js("Array.from(document.querySelectorAll('#rows tr')).map(r => +r.dataset.score)")
    assert scores == sorted(scores)
    # a filtered view can be linked to: the state is in the address
    chrome.open(batch_dir / "review.html", "band=A")
    assert sorted(visible(chrome)) == sorted(r["file"] for r in rows if r["band"] == "A")


def test_marks_persist_export_and_release(batch_dir, chrome, tmp_path):
    chrome.open(batch_dir / "review.html")
    chrome.js("localStorage.clear()")
    chrome.open(batch_dir / "review.html")
    files = chrome.js("Array.from(document.querySelectorAll('#rows tr')).map(r => r.dataset.file)")
    ready, held = files[0], files[1]
    # keyboard: focus the first row's first radio, "r" marks it ready, "j" moves on, "h" holds the next
    chrome.js("document.querySelector('#rows tr input[type=radio]').focus()")
    chrome.key("r")
    chrome.key("j")
    chrome.key("h")
    chrome.js(
        f"(() => {{ const r = document.querySelector('#rows tr[data-file=\"{held}\"] .remark');"
        " r.value = '=HYPERLINK(\"http://x\")'; r.dispatchEvent(new Event('input', {bubbles: true})); })()"
    )
    assert chrome.js("document.getElementById('marked').textContent").startswith("1 ready, 1 on hold")
    chrome.open(batch_dir / "review.html")  # reload: the marks are kept in the browser
    assert chrome.js(f"document.querySelector('#rows tr[data-file=\"{ready}\"]').dataset.decision") == "ready"
    assert chrome.js(f"document.querySelector('#rows tr[data-file=\"{held}\"] .remark').value").startswith("=HYPER")
    chrome.js("document.getElementById('export').click()")
    assert "Add your name" in chrome.js("document.getElementById('message').textContent")
    set_control(chrome, "reviewer", "Dana")
    chrome.js("document.getElementById('export').click()")
    text = chrome.js("document.getElementById('export-text').value")
    lines = list(csv.DictReader(io.StringIO(text)))
    assert [(d["file"], d["decision"]) for d in lines] == [(ready, "ready"), (held, "hold")]
    assert lines[1]["remark"].startswith("'=HYPERLINK")  # neutralised for spreadsheets
    assert lines[0]["deck_sha256"] == hashlib.sha256((batch_dir / ready).read_bytes()).hexdigest()
    assert all(d["reviewer"] == "Dana" for d in lines)
    path = tmp_path / "review-decisions.csv"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["release", str(batch_dir), "--approved", str(path)])
    assert result.exit_code == 0, result.output
    sent = sorted(p.name for p in (batch_dir / "send").iterdir())
    assert ready in sent and held not in sent
    doc = json.loads((batch_dir / "send" / "manifest.json").read_text(encoding="utf-8"))
    assert doc["sent"][0]["approved_by"] == "Dana" and doc["sent"][0]["file"] == ready


def test_screenshot(batch_dir, chrome, tmp_path):
    chrome.open(batch_dir / "review.html")
    shot = chrome.screenshot(tmp_path / "review.png")
    from PIL import Image

    with Image.open(shot) as im:
        assert im.size == (1500, 1000)
        colours = im.convert("RGB").getcolors(1 << 20)
    assert colours and len(colours) > 50  # a rendered page, not a blank one


def test_a_thousand_decks_open_and_filter_fast(tmp_path, chrome):
    from deckgen.review import write_review

    out = tmp_path / "big"
    out.mkdir()
    bands = ["A", "B", "C", "qualify_first", "walk_away"]
    rows = []
    for i in range(1000):
        name = f"company-{i:04d}-p{i:04d}.pptx"
        (out / name).write_bytes(b"deck %d" % i)
        rows.append(
            {
                "row": i + 2,
                "id": f"p{i:04d}",
                "company": f"Company {i:04d}",
                "status": "built",
                "file": name,
                "score": (i * 37) % 100,
                "band": bands[i % 5],
                "closing": "one-standard",
                "warnings": ["the industry is unknown"] if i % 7 == 0 else [],
                "error": None,
            }
        )
    (out / "report.json").write_text(
        json.dumps({"format": "deckgen-batch-report/1", "seconds": 300.0, "rows": rows}), encoding="utf-8"
    )
    t = time.perf_counter()
    write_review(out)
    written = time.perf_counter() - t
    t = time.perf_counter()
    chrome.open(out / "review.html")
    opened = time.perf_counter() - t
    assert len(visible(chrome)) == 1000
    ready_ms = float(chrome.js("document.getElementById('review').dataset.readyMs"))
    set_control(chrome, "q", "company 09")
    filter_ms = float(chrome.js("document.getElementById('review').dataset.filterMs"))
    assert len(visible(chrome)) == 100
    set_control(chrome, "sort", "score-desc")
    sort_ms = float(chrome.js("document.getElementById('review').dataset.filterMs"))
    size = (out / "review.html").stat().st_size
    print(
        f"\n1,000 decks: page written in {written * 1000:.0f} ms ({size / 1e6:.2f} MB), loaded in "
        f"{opened * 1000:.0f} ms, script ready in {ready_ms:.0f} ms, search in {filter_ms:.1f} ms, "
        f"sort in {sort_ms:.1f} ms"
    )


def test_thumbnails_on_demand_are_lazy_loaded_images_that_render(batch_dir, chrome):
    tools.soffice_path()  # LibreOffice renders them: skip without it (fail under CI=true)
    result = CliRunner().invoke(cli, ["review", str(batch_dir), "--thumbnails", "--jobs", "2"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    decks = [r["file"] for r in json.loads((batch_dir / "report.json").read_text(encoding="utf-8"))["rows"]]
    assert all((batch_dir / "previews" / f"{Path(d).stem}-strip.png").is_file() for d in decks)
    chrome.open(batch_dir / "review.html")
    imgs = chrome.js(
        "Array.from(document.querySelectorAll('#rows img')).map(i => [i.loading, i.alt.startsWith('Key slides')])"
    )
    assert imgs == [["lazy", True]] * len(decks)
    loaded = chrome.js(
        "Promise.all(Array.from(document.querySelectorAll('#rows img')).slice(0, 2).map(i => i.decode()"
        ".then(() => i.naturalWidth)))"
    )
    assert all(w > 100 for w in loaded)
