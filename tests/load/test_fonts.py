"""Installed fonts: fontconfig is asked once, and its answer kept until the fonts on the machine change."""

from __future__ import annotations

import subprocess

import pytest

from deckgen.cache import CACHE_DIR_ENV, CACHE_SWITCH_ENV
from deckgen.load import fonts


class FakeFcMatch:
    """``fc-match`` answering for one installed family; counts how often it is run."""

    def __init__(self, font_file):
        self.font_file = font_file
        self.calls = 0

    def __call__(self, argv, **kwargs):
        self.calls += 1
        pattern = argv[-1].split(":")[0]
        out = f"Fancy Sans\n{self.font_file}\n0" if pattern == "Fancy Sans" else "DejaVu Sans\n/x/DejaVuSans.ttf\n0"
        return subprocess.CompletedProcess(argv, 0, out.encode(), b"")


@pytest.fixture
def fc_match(tmp_path, monkeypatch):
    font_file = tmp_path / "FancySans.ttf"
    font_file.write_bytes(b"not really a font")
    fake = FakeFcMatch(font_file)
    monkeypatch.setattr(fonts.shutil, "which", lambda name: "/usr/bin/fc-match")
    monkeypatch.setattr(fonts.subprocess, "run", fake)
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv(CACHE_SWITCH_ENV, "on")
    fonts.installed_font.cache_clear()
    yield fake
    fonts.installed_font.cache_clear()


def new_process():
    """What a new deckgen process starts with: no answers in memory."""
    fonts.installed_font.cache_clear()
    fonts._dirs_stamp.cache_clear()


def test_a_second_run_finds_installed_fonts_without_fontconfig(fc_match):
    assert fonts.installed_font("Fancy Sans") == (str(fc_match.font_file), 0)
    assert fonts.installed_font("Missing Font", True) is None
    assert fc_match.calls == 2
    new_process()
    assert fonts.installed_font("Fancy Sans") == (str(fc_match.font_file), 0)
    assert fonts.installed_font("Missing Font", True) is None
    assert fc_match.calls == 2


def test_a_font_file_that_changed_is_looked_up_again(fc_match):
    fonts.installed_font("Fancy Sans")
    fc_match.font_file.write_bytes(b"a newer version of the font")
    new_process()
    fonts.installed_font("Fancy Sans")
    assert fc_match.calls == 2


def test_fonts_installed_since_are_looked_up_again(fc_match, monkeypatch):
    fonts.installed_font("Missing Font")
    new_process()
    monkeypatch.setattr(fonts, "_dirs_stamp", lambda: (("/usr/share/fonts", 1),))  # a font folder changed
    fonts.installed_font("Missing Font")
    assert fc_match.calls == 2


def test_an_old_answer_is_not_used(fc_match, monkeypatch):
    fonts.installed_font("Missing Font")
    new_process()
    later = fonts.time.time() + fonts._KEEP_SECONDS + 1
    monkeypatch.setattr(fonts.time, "time", lambda: later)
    fonts.installed_font("Missing Font")
    assert fc_match.calls == 2


def test_with_the_cache_off_fontconfig_is_asked_every_run(fc_match, monkeypatch):
    monkeypatch.setenv(CACHE_SWITCH_ENV, "off")
    fonts.installed_font("Fancy Sans")
    new_process()
    fonts.installed_font("Fancy Sans")
    assert fc_match.calls == 2
