"""``pdf`` and ``preview`` check a deck like ``check`` does before LibreOffice sees it; LibreOffice
runs with no network and in deckgen's process group."""

from __future__ import annotations

import http.server
import os
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

import tools
from deckgen.cli import cli
from deckgen.export import PdfConverter, libreoffice
from deckgen.export.pdf import refuse_unsafe
from tests.security.test_linked_content import linked_picture
from tests.security.util import raw_zip, stored, template, zeros_member

FAKE = """#!{python}
import sys, pathlib
pathlib.Path({marker!r}).write_text(" ".join(sys.argv))
"""


@pytest.fixture
def fake_soffice(tmp_path, monkeypatch):
    """A stand-in LibreOffice, named by $DECKGEN_SOFFICE like a real one, that notes when it is started."""
    marker = tmp_path / "soffice-started"
    script = tmp_path / "soffice"
    script.write_text(FAKE.format(python=sys.executable, marker=str(marker)))
    script.chmod(0o755)
    monkeypatch.setenv(libreoffice.SOFFICE_ENV, str(script))
    return marker


def linked_deck(tmp_path: Path, url: str) -> Path:
    deck = tmp_path / "linked.pptx"
    (template(tmp_path, linked_picture(url)) / "template.pptx").rename(deck)
    return deck


def bomb_deck(tmp_path: Path) -> Path:
    deck = tmp_path / "bomb.pptx"
    ct = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
    deck.write_bytes(raw_zip([stored("[Content_Types].xml", ct), zeros_member("ppt/media/x.xml", 300 * 2**20)]))
    return deck


def test_pdf_refuses_a_deck_with_a_linked_picture_and_never_starts_libreoffice(tmp_path, fake_soffice):
    deck = linked_deck(tmp_path, "http://127.0.0.1:8765/pixel.png")
    result = CliRunner().invoke(cli, ["pdf", str(deck)])
    assert result.exit_code == 1, result.output
    assert "unsafe to open" in result.stderr and "127.0.0.1:8765" in result.stderr
    assert "Traceback" not in result.output
    assert not fake_soffice.exists() and not (tmp_path / "linked.pdf").exists()


def test_pdf_refuses_a_zip_bomb_deck(tmp_path, fake_soffice):
    deck = bomb_deck(tmp_path)
    assert deck.stat().st_size < 2**20
    result = CliRunner().invoke(cli, ["pdf", str(deck)])
    assert result.exit_code == 1 and "unsafe to open" in result.stderr
    assert not fake_soffice.exists()


def test_preview_refuses_an_unsafe_deck_as_bad_input(tmp_path, fake_soffice):
    tools.require_tool("pdftoppm")
    deck = linked_deck(tmp_path, "file:///etc/passwd")
    result = CliRunner().invoke(cli, ["preview", str(deck)])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: ") and "file:///etc/passwd" in result.stderr
    assert not fake_soffice.exists() and not (tmp_path / "linked-preview").exists()


def test_a_safe_deck_still_passes_the_check(small_deck):
    assert refuse_unsafe(small_deck) is None


def test_libreoffice_gets_a_profile_that_blocks_outside_links_and_the_web(tmp_path):
    profile = tmp_path / "p"
    libreoffice.write_offline_profile(profile)
    xcu = (profile / "user" / "registrymodifications.xcu").read_text()
    assert '"BlockUntrustedRefererLinks"' in xcu and "<value>true</value>" in xcu
    assert '"ooInetHTTPProxyName"' in xcu and "127.0.0.1" in xcu


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def _any(self):
        type(self).hits.append(f"{self.command} {self.path}")
        self.send_response(404)
        self.end_headers()

    do_GET = do_HEAD = do_OPTIONS = do_PROPFIND = _any

    def log_message(self, *args):
        pass


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="process groups are POSIX")
def test_libreoffice_itself_fetches_nothing_even_from_a_deck_that_asks(tmp_path):
    soffice = tools.soffice_path()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Recorder.hits = []
    try:
        deck = linked_deck(tmp_path, f"http://127.0.0.1:{server.server_port}/pixel.png")
        # the package check is what normally stops this deck; here LibreOffice gets it anyway
        with PdfConverter(soffice, check_packages=False, timeout=60) as conv:
            result = conv.convert([deck], tmp_path / "out")[deck]
    finally:
        server.shutdown()
        server.server_close()
    assert isinstance(result, Path), result
    assert _Recorder.hits == []
