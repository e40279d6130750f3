"""Shared pytest setup. Keep it small: helpers live in tests/tools.py, fixtures here."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

# Tests start from a cold cache: deckgen's on-disk cache (compiled tags, logos, font look-ups) is off
# unless a test turns it on (the ``cache_dir`` fixture points DECKGEN_CACHE_DIR at a temporary folder).
os.environ["DECKGEN_CACHE"] = "off"

_TESTS = str(Path(__file__).resolve().parent)
if _TESTS not in sys.path:  # `import tools` works however pytest was started
    sys.path.insert(0, _TESTS)

import tools  # noqa: E402


def pytest_sessionfinish(session, exitstatus):
    tools.close_shared_validator()


@pytest.fixture
def small_deck(tmp_path):
    """A 3-slide 16:9 deck with Latin and Chinese text (tools.make_deck for other content)."""
    return tools.make_deck(
        tmp_path / "small.pptx",
        [
            ("Hengxin Logistics", "恒信物流 keeps trucks moving"),
            ("Why now", "Downtime costs 恒信物流 every hour"),
            ("Next step", "A 30-minute call this week"),
        ],
    )


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    """The cache switched on, in a fresh folder (the suite runs with it off)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("DECKGEN_CACHE_DIR", str(folder))
    monkeypatch.setenv("DECKGEN_CACHE", "on")
    return folder
