"""The logo-contrast check keeps what it measured (deckgen.engine.graphics.LuminanceCache)."""

from __future__ import annotations

import hashlib
from collections import OrderedDict

from deckgen.brand.kit import read_brand
from deckgen.build import compile_branded
from deckgen.errors import LogoContrastWarning
from tests.engine.test_master_graphics import NAVY, brand_kit, dark_title


class Memory:
    def __init__(self) -> None:
        self.kept: dict[str, tuple] = {}

    def load(self, digest):
        return self.kept.get(digest)

    def store(self, digest, value):
        self.kept[digest] = value


def contrast_warnings(folder, kit) -> list[LogoContrastWarning]:
    brand, _ = read_brand(str(kit))
    compiled, _ = compile_branded(folder, brand)
    return [w for w in compiled.warnings if isinstance(w, LogoContrastWarning)]


def test_logos_are_measured_once_and_the_kept_value_is_what_the_check_uses(tmp_path, monkeypatch):
    cache = Memory()
    monkeypatch.setattr("deckgen.build.luminance_cache", lambda: cache)
    kit, template = brand_kit(tmp_path / "kit"), dark_title(tmp_path, "logo")
    (w,) = contrast_warnings(template, kit)
    assert f"1.0:1 against #{NAVY}" in w.message
    logo = hashlib.sha256(read_brand(str(kit))[0].logo.data).hexdigest()
    assert cache.kept[logo][0] < 0.05  # the navy logo, measured and kept

    def no_decoding(data):
        raise AssertionError("a kept logo decoded again")

    monkeypatch.setattr("deckgen.engine.colours._measure", no_decoding)
    monkeypatch.setattr("deckgen.engine.colours._MEASURED", OrderedDict())
    assert [x.message for x in contrast_warnings(template, kit)] == [w.message]
    cache.kept[logo] = (1.0,)  # the kept value, not a fresh measurement, decides: a white logo
    (white,) = contrast_warnings(template, kit)
    assert white.slides == (2,) and "1.0:1 against #FFFFFF" in white.message  # shows on the dark slide, not here
