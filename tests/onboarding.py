"""What the onboarding tests share: a workspace as ``deckgen init`` writes it, and a way to edit it."""

from __future__ import annotations

from pathlib import Path

from deckgen.jobs import init_workspace

PROSPECT = "prospects/alamo-family-dental.yaml"


def workspace(tmp_path: Path) -> Path:
    """A fresh ``deckgen init my-msp`` folder under ``tmp_path``."""
    init_workspace(tmp_path / "my-msp")
    return tmp_path / "my-msp"


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in ``path`` with ``new`` (``old`` must be there)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
