"""A brand kit's logos are re-encoded once per file, then read from deckgen's cache while the file is unchanged."""

from __future__ import annotations

import shutil
from collections import OrderedDict

import pytest
from PIL import Image

from deckgen.brand import palette
from deckgen.brand.kit import read_brand
from deckgen.cache import CACHE_DIR_ENV, CACHE_SWITCH_ENV
from deckgen.engine import media
from deckgen.resources import bundled_dir


@pytest.fixture
def kit(tmp_path, monkeypatch):
    folder = tmp_path / "kit"
    shutil.copytree(bundled_dir("brand") / "ridgeline", folder)
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv(CACHE_SWITCH_ENV, "on")
    return folder


def new_process(monkeypatch):
    """A new deckgen process: no pictures in memory."""
    monkeypatch.setattr(media, "_CACHE", OrderedDict())


def count_encodes(monkeypatch) -> list:
    calls: list = []
    real = media.picture_from_bytes

    def counting(*args, **kwargs):
        calls.append(kwargs.get("label"))
        return real(*args, **kwargs)

    monkeypatch.setattr(media, "picture_from_bytes", counting)
    return calls


def test_logos_are_encoded_once_and_come_back_the_same(kit, monkeypatch):
    first, _ = read_brand(kit)
    new_process(monkeypatch)
    calls = count_encodes(monkeypatch)
    again, _ = read_brand(kit)
    assert calls == []
    assert (again.logo, again.logo_dark) == (first.logo, first.logo_dark)


def test_a_changed_logo_file_is_encoded_again(kit, monkeypatch):
    read_brand(kit)
    Image.new("RGB", (300, 100), "#14365D").save(kit / "logo.png")
    new_process(monkeypatch)
    calls = count_encodes(monkeypatch)
    brand, _ = read_brand(kit)
    assert calls == [str((kit / "logo.png").resolve())]
    assert (brand.logo.width, brand.logo.height) == (300, 100)


def test_the_white_logo_for_dark_slides_is_made_once(kit, monkeypatch):
    (kit / "brand.yaml").write_text(
        (kit / "brand.yaml").read_text(encoding="utf-8").replace("logo_dark: logo-dark.png\n", ""), encoding="utf-8"
    )
    made = []
    variant = palette.dark_logo_variant
    monkeypatch.setattr(palette, "dark_logo_variant", lambda p: made.append(1) or variant(p))
    first, _ = read_brand(kit)
    new_process(monkeypatch)
    again, _ = read_brand(kit)
    assert made == [1]
    assert again.logo_dark == first.logo_dark and again.logo_dark != again.logo


def test_with_the_cache_off_logos_are_encoded_every_run(kit, monkeypatch):
    monkeypatch.setenv(CACHE_SWITCH_ENV, "off")
    read_brand(kit)
    new_process(monkeypatch)
    calls = count_encodes(monkeypatch)
    read_brand(kit)
    assert len(calls) == 2
