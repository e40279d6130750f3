"""PDF export, PNG previews, contact sheets and the Open XML validator wrapper."""

from __future__ import annotations

import os
import re
import sys
import textwrap
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from ooxml import Validator, find_validator
from PIL import Image

import tools
from deckgen.errors import ConversionError, InputError, ToolMissingError
from deckgen.export import (
    PdfConverter,
    contact_sheet,
    convert_pdfs,
    deck_date,
    export_pdfs,
    find_soffice,
    libreoffice,
    normalise_pdf,
    preview_deck,
    render_pngs,
)

posix_only = pytest.mark.skipif(os.name != "posix", reason="process groups are POSIX")

# --------------------------------------------------------------------------------------------
# a stand-in for soffice: behaves like `soffice --convert-to pdf --outdir DIR FILES...`

FAKE_SOFFICE = textwrap.dedent("""\
    import os, subprocess, sys, time
    args = sys.argv[1:]
    outdir = args[args.index("--outdir") + 1]
    inputs = args[args.index("--outdir") + 2:]
    profile = [a for a in args if a.startswith("-env:UserInstallation=")][0]
    log = os.environ.get("FAKE_SOFFICE_LOG")
    if log:
        with open(log, "a") as fh:
            fh.write(profile + "\\n")
    print("convert chatter that must not reach the user")
    print("Warning: more chatter", file=sys.stderr)
    sys.stdout.flush()
    for path in inputs:
        data = open(path, "rb").read()
        if b"HANG" in data:
            child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
            with open(os.environ["FAKE_SOFFICE_CHILD"], "w") as fh:
                fh.write(str(child.pid))
            time.sleep(300)
        if b"CRASH" in data:
            os._exit(3)
        if b"BROKEN" in data:
            print("Error: source file could not be loaded", file=sys.stderr)
            continue
        name = os.path.splitext(os.path.basename(path))[0] + ".pdf"
        with open(os.path.join(outdir, name), "wb") as fh:
            fh.write(b"%PDF-1.4\\n% " + data[:40] + b"\\n%%EOF\\n")
""")


@pytest.fixture
def fake_soffice(tmp_path, monkeypatch):
    script = tmp_path / "fake_soffice.py"
    script.write_text(FAKE_SOFFICE)
    monkeypatch.setenv("FAKE_SOFFICE_LOG", str(tmp_path / "fake.log"))
    monkeypatch.setenv("FAKE_SOFFICE_CHILD", str(tmp_path / "child.pid"))
    return [sys.executable, str(script)]


def fake_decks(folder: Path, **contents: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in contents.items():
        p = folder / f"{name}.pptx"
        p.write_text(text)
        paths.append(p)
    return paths


def alive(pid: int) -> bool:
    stat = Path(f"/proc/{pid}/stat")
    if Path("/proc/self/stat").exists():
        try:
            return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except (OSError, IndexError):
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") or p.name.endswith((".part", ".tmp")))


# --------------------------------------------------------------------------------------------
# finding LibreOffice


def test_missing_soffice_raises_tool_missing_with_install_hint(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv(libreoffice.SOFFICE_ENV, raising=False)
    monkeypatch.setattr(libreoffice, "_SOFFICE_LOCATIONS", ())
    with pytest.raises(ToolMissingError) as info:
        find_soffice()
    text = str(info.value)
    assert "apt-get install" in text and "libreoffice-impress" in text
    assert "brew install --cask libreoffice" in text and "Windows" in text
    with pytest.raises(ToolMissingError):
        PdfConverter()
    with pytest.raises(ToolMissingError):
        convert_pdfs([tmp_path / "a.pptx"], tmp_path / "out")


def test_soffice_override_from_environment(tmp_path, monkeypatch):
    exe = tmp_path / "my-soffice"
    exe.write_text("#!/bin/sh\nexit 0\n")
    exe.chmod(0o755)
    monkeypatch.setenv(libreoffice.SOFFICE_ENV, str(exe))
    assert find_soffice() == str(exe)
    monkeypatch.setenv(libreoffice.SOFFICE_ENV, str(tmp_path / "nope"))
    with pytest.raises(ToolMissingError, match=libreoffice.SOFFICE_ENV):
        find_soffice()


def test_soffice_found_on_path(tmp_path, monkeypatch):
    exe = tmp_path / "soffice"
    exe.write_text("#!/bin/sh\nexit 0\n")
    exe.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv(libreoffice.SOFFICE_ENV, raising=False)
    assert find_soffice() == str(exe)


# --------------------------------------------------------------------------------------------
# the converter's bookkeeping, with the stand-in


def test_converts_many_decks_in_one_start_quietly(tmp_path, fake_soffice, capfd):
    decks = fake_decks(tmp_path / "in", a="deck a", b="deck b", c="deck c")
    out = tmp_path / "out"
    with PdfConverter(fake_soffice) as conv:
        results = conv.convert(decks, out)
        work = conv._work
        assert conv.runs == 1
    assert results == {d: out / f"{d.stem}.pdf" for d in decks}
    assert (out / "b.pdf").read_bytes().startswith(b"%PDF-1.4\n% deck b")
    assert leftovers(out) == []
    assert work is not None and not work.exists()  # profile and temp files removed
    captured = capfd.readouterr()
    assert "chatter" not in captured.out + captured.err


@pytest.mark.slow
@posix_only
def test_hung_conversion_is_killed_and_reported_while_others_succeed(tmp_path, fake_soffice):
    a, hang, c = fake_decks(tmp_path / "in", a="deck a", hang="HANG", c="deck c")
    out = tmp_path / "out"
    started = time.monotonic()
    with PdfConverter(fake_soffice, timeout=1.0) as conv:
        results = conv.convert([a, hang, c], out)
    elapsed = time.monotonic() - started
    assert results[a] == out / "a.pdf" and results[c] == out / "c.pdf"
    assert isinstance(results[hang], ConversionError)
    assert "no progress for 1 s" in str(results[hang]) and str(hang) in str(results[hang])
    assert not (out / "hang.pdf").exists()
    assert leftovers(out) == []
    assert elapsed < 30
    # the whole process group went, the hung program's child included
    child = int((tmp_path / "child.pid").read_text())
    deadline = time.monotonic() + 10
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(child)
    # a fresh profile after each kill
    profiles = (tmp_path / "fake.log").read_text().split()
    assert len(profiles) == 3 and len(set(profiles)) == 3


def test_crash_blames_the_deck_it_stopped_at(tmp_path, fake_soffice):
    a, crash, c = fake_decks(tmp_path / "in", a="deck a", crash="CRASH", c="deck c")
    conv = PdfConverter(fake_soffice)  # used without `with`: convert() cleans up itself
    results = conv.convert([a, crash, c], tmp_path / "out")
    assert conv._work is None
    assert results[a] == tmp_path / "out" / "a.pdf"
    assert results[c] == tmp_path / "out" / "c.pdf"
    assert isinstance(results[crash], ConversionError)
    assert "exit code 3" in str(results[crash])


def test_unreadable_missing_and_clashing_decks_are_reported(tmp_path, fake_soffice):
    good, broken = fake_decks(tmp_path / "in", good="deck good", broken="BROKEN")
    clash = fake_decks(tmp_path / "other", good="another good")[0]
    missing = tmp_path / "in" / "missing.pptx"
    out = tmp_path / "out"
    with PdfConverter(fake_soffice) as conv:
        results = conv.convert([good, broken, missing, clash, good], out)
    assert list(results) == [good, broken, missing, clash]
    assert results[good] == out / "good.pdf"
    assert "could not be loaded" in str(results[broken])
    assert "no such deck" in str(results[missing])
    assert "rename one of them" in str(results[clash])
    assert sorted(p.name for p in out.iterdir()) == ["good.pdf"]


def test_workers_use_their_own_profiles(tmp_path, fake_soffice):
    decks = fake_decks(tmp_path / "in", **{f"d{i}": f"deck {i}" for i in range(6)})
    results = convert_pdfs(decks, tmp_path / "out", workers=2, soffice=fake_soffice, chunk_size=2)
    assert list(results) == decks
    assert all(results[d] == tmp_path / "out" / f"{d.stem}.pdf" for d in decks)
    profiles = (tmp_path / "fake.log").read_text().split()
    assert len(profiles) == 4  # 2 workers x 3 decks / 2 per start
    assert len(set(profiles)) == 2


def test_export_pdfs_writes_next_to_each_deck_with_one_start(tmp_path, fake_soffice):
    a, b = fake_decks(tmp_path / "one", a="deck a", b="deck b")
    c = fake_decks(tmp_path / "two", c="deck c")[0]
    results = export_pdfs([a, c, b, a], soffice=fake_soffice)
    assert results == {a: tmp_path / "one" / "a.pdf", b: tmp_path / "one" / "b.pdf", c: tmp_path / "two" / "c.pdf"}
    assert list(results) == [a, b, c]  # folder by folder, as they first appear
    profiles = (tmp_path / "fake.log").read_text().split()
    assert len(profiles) == 2 and len(set(profiles)) == 1  # one start a folder, all with one converter
    into = export_pdfs([a, c], tmp_path / "pdfs", soffice=fake_soffice)
    assert into == {a: tmp_path / "pdfs" / "a.pdf", c: tmp_path / "pdfs" / "c.pdf"}


def test_normalise_pdf_is_reproducible_and_keeps_offsets():
    def pdf(stamp: bytes, ident: bytes, checksum: bytes) -> bytes:
        return (
            b"%PDF-1.6\n1 0 obj <</CreationDate(D:" + stamp + b"Z')>> endobj\n"
            b"trailer <</Size 2/ID [ <" + ident + b">\n<" + ident + b"> ]\n"
            b"/DocChecksum /" + checksum + b">>\nstartxref\n9\n%%EOF\n"
        )

    when = datetime(2024, 3, 1, 12, 0, 0, tzinfo=UTC)
    one = normalise_pdf(pdf(b"20261125210221", b"9B76" * 8, b"CF73" * 8), when)
    two = normalise_pdf(pdf(b"20261125210345", b"1234" * 8, b"6DD5" * 8), when)
    assert one == two
    assert len(one) == len(pdf(b"20261125210221", b"9B76" * 8, b"CF73" * 8))
    assert b"(D:20240301120000Z')" in one
    assert normalise_pdf(one, when) == one


def test_deck_date_comes_from_core_properties(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    deck = tmp_path / "d.pptx"
    with zipfile.ZipFile(deck, "w") as zf:
        zf.writestr(
            "docProps/core.xml",
            '<cp:coreProperties xmlns:dcterms="x"><dcterms:modified '
            'xsi:type="dcterms:W3CDTF">2024-05-06T07:08:09Z</dcterms:modified>'
            "</cp:coreProperties>",
        )
    assert deck_date(deck) == datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert deck_date(deck) == datetime(1970, 1, 1, tzinfo=UTC)


# --------------------------------------------------------------------------------------------
# contact sheets and PNGs (Pillow only)


def test_contact_sheet_is_a_bounded_grid(tmp_path):
    colours = [
        (200, 30, 30),
        (30, 200, 30),
        (30, 30, 200),
        (200, 200, 30),
        (30, 200, 200),
        (200, 30, 200),
        (90, 90, 90),
    ]
    pngs = []
    for i, colour in enumerate(colours, start=1):
        p = tmp_path / f"s-{i:02d}.png"
        Image.new("RGB", (1280, 720), colour).save(p)
        pngs.append(p)
    sheet_path = contact_sheet(pngs, tmp_path / "sheet" / "sheet.png", columns=3)
    assert leftovers(sheet_path.parent) == []
    with Image.open(sheet_path) as sheet:
        sheet = sheet.convert("RGB")
        w, h = sheet.size
        assert w <= 2400
        margin, gap, tw = 32, 24, 640
        assert w == 2 * margin + 3 * tw + 2 * gap
        th = 360
        assert h > 3 * th and h < 3 * th + 3 * 80 + 2 * margin  # 3 rows with labels
        assert sheet.getpixel((2, 2)) == (243, 244, 246)  # light neutral background
        assert sheet.getpixel((margin + tw // 2, margin + th // 2)) == colours[0]
        assert sheet.getpixel((margin + tw + gap + 5, margin + 5)) == colours[1]
        assert sheet.getpixel((margin - 1, margin + 50)) == (156, 163, 175)  # thin border
        # a slide number is drawn in the label strip under the first thumbnail
        strip = sheet.crop((margin, margin + th + 2, margin + tw, margin + th + 30))
        assert len(strip.getcolors(maxcolors=1 << 16)) > 1
    wide = contact_sheet(pngs[:2], tmp_path / "two.png", columns=3, max_width=800)
    with Image.open(wide) as im:
        assert im.width <= 800


def test_render_pngs_without_poppler(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ToolMissingError, match="poppler-utils"):
        render_pngs(tmp_path / "x.pdf", tmp_path)


# --------------------------------------------------------------------------------------------
# the helpers in tests/tools.py


def test_require_tool_skips_locally_and_fails_in_ci(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        tools.require_tool("pdftotext")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        tools.require_tool("pdftotext")


# --------------------------------------------------------------------------------------------
# with the real LibreOffice and poppler


@pytest.mark.slow
def test_three_slide_deck_to_pdf_with_cjk_text(small_deck, tmp_path):
    tools.soffice_path()
    out = tmp_path / "pdf"
    with PdfConverter() as conv:
        results = conv.convert([small_deck], out)
        pdf = results[small_deck]
        assert pdf == out / "small.pdf", pdf
        first = pdf.read_bytes()
        time.sleep(1.1)  # LibreOffice stamps the time in seconds
        again = conv.convert([small_deck], tmp_path / "again")[small_deck]
    assert tools.pdf_page_count(pdf) == 3
    text = tools.pdf_text(pdf)
    assert "Hengxin Logistics" in text and "Next step" in text
    assert "恒信物流" in text
    assert leftovers(out) == []
    assert again.read_bytes() == first  # reproducible


@pytest.mark.slow
def test_real_libreoffice_reports_a_broken_deck_and_converts_the_rest(small_deck, tmp_path):
    tools.soffice_path()
    broken = tmp_path / "broken.pptx"
    broken.write_bytes(small_deck.read_bytes()[:3000])
    results = convert_pdfs([broken, small_deck], tmp_path / "out")
    assert isinstance(results[broken], ConversionError)
    assert tools.pdf_page_count(results[small_deck]) == 3


@pytest.mark.slow
def test_preview_deck_makes_pdf_pngs_and_sheet(small_deck, tmp_path):
    tools.soffice_path()
    tools.require_tool("pdftoppm")
    out = tmp_path / "preview"
    stale = out / "small-07.png"
    out.mkdir()
    Image.new("RGB", (4, 4)).save(stale)
    result = preview_deck(small_deck, out, dpi=48)
    assert result.pdf == out / "small.pdf"
    assert [p.name for p in result.pngs] == ["small-01.png", "small-02.png", "small-03.png"]
    assert not stale.exists()
    for png in result.pngs:
        with Image.open(png) as im:
            assert abs(im.width - 640) <= 1 and abs(im.height - 360) <= 1  # 13.33 x 7.5 in
    with Image.open(result.sheet) as sheet:
        assert sheet.width <= 2400
        assert sheet.width == 2 * 32 + 3 * 640 + 2 * 24
        assert 360 < sheet.height < 600  # one row
    assert leftovers(out) == []


# --------------------------------------------------------------------------------------------
# the Open XML validator (tests.ooxml)


def _inject(src: Path, dst: Path, part: str, old: bytes, new: bytes) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == part:
                assert old in data
                data = data.replace(old, new, 1)
            zout.writestr(info, data)
    return dst


def test_validator_missing_raises_tool_missing(tmp_path, monkeypatch, small_deck):
    monkeypatch.setenv("DECKGEN_OOXML_VALIDATOR", str(tmp_path / "no-such-validator"))
    assert find_validator() is None
    with pytest.raises(ToolMissingError, match="scripts/test.sh"):
        Validator()


@pytest.mark.slow
def test_validator_accepts_python_pptx_deck(small_deck):
    assert tools.validate_ooxml(small_deck) == []


@pytest.mark.slow
def test_validator_reports_schema_errors_with_part_and_xpath(small_deck, tmp_path):
    bad = _inject(small_deck, tmp_path / "bad.pptx", "ppt/slides/slide1.xml", b"<p:cSld>", b"<p:cSld><p:bogus/>")
    errors = tools.validate_ooxml(bad)
    assert len(errors) == 1
    assert errors[0].startswith("/ppt/slides/slide1.xml /p:sld[1]/p:cSld[1]: ")
    assert "bogus" in errors[0] and "[Sch_InvalidElementContentExpectingComplex]" in errors[0]


@pytest.mark.slow
def test_validator_reports_a_package_it_cannot_open(tmp_path):
    junk = tmp_path / "junk.pptx"
    junk.write_bytes(b"not a zip at all")
    errors = tools.validate_ooxml(junk)
    assert len(errors) == 1 and "cannot be opened" in errors[0]
    with pytest.raises(InputError, match="no such file"):
        tools.validate_ooxml(tmp_path / "missing.pptx")


@pytest.mark.slow
def test_validator_cli_mode_matches_library_mode(small_deck, tmp_path, monkeypatch):
    cmd = tools.validator_cmd()
    bad = _inject(small_deck, tmp_path / "bad.pptx", "ppt/slides/slide2.xml", b"<a:t>", b'<a:t foo="1">')
    # one CLI run a package when the library cannot be located (here: the bin script alone)
    with Validator([cmd[-1]] if len(cmd) == 2 and os.access(cmd[-1], os.X_OK) else cmd) as v:
        v._entry = None
        errors = v.validate(bad)
    assert errors == tools.validate_ooxml(bad)
    assert len(errors) == 1 and re.search(r"The 'foo' attribute is not declared", errors[0])
