"""Deck hashes for the review page, cached in ``.deckgen-review.json`` beside the decks.

The hash ties a reviewer's decision to the exact bytes they looked at: ``deckgen release`` copies a deck only
while its SHA-256 still matches. The cache (keyed by size and modification time) keeps a 1,000-deck folder from
being re-read on every page build, and the list of decks it held says what is new since the last review page.
"""

from __future__ import annotations

import json
from pathlib import Path

from deckgen.output import atomic_write, sha256_file

__all__ = ["STATE_NAME", "DeckHashes", "sha256_file"]

STATE_NAME = ".deckgen-review.json"
STATE_FORMAT = "deckgen-review-state/1"


class DeckHashes:
    """File name -> SHA-256 of the decks of one folder, with what the previous page listed."""

    def __init__(self, out_dir: Path, previous: dict[str, dict] | None = None) -> None:
        self.out_dir = out_dir
        self.previous: dict[str, dict] = dict(previous or {})
        self.current: dict[str, dict] = {}

    @classmethod
    def load(cls, out_dir: Path) -> DeckHashes:
        """The cache of the last review page (an unreadable one counts as none: everything is hashed again)."""
        try:
            data = json.loads((out_dir / STATE_NAME).read_bytes())
            decks = data["decks"] if data.get("format") == STATE_FORMAT else {}
            previous = {str(k): dict(v) for k, v in dict(decks).items() if isinstance(v, dict)}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            previous = {}
        return cls(out_dir, previous)

    def digest(self, name: str, built: str = "") -> str:
        """The deck's SHA-256, from the cache while its size and time are unchanged (``built``: the
        manifest's build time, kept to tell a rebuilt deck from an unchanged one next time)."""
        st = (self.out_dir / name).stat()
        held = self.previous.get(name) or {}
        if held.get("size") == st.st_size and held.get("mtime_ns") == st.st_mtime_ns and held.get("sha256"):
            digest = str(held["sha256"])
        else:
            digest = sha256_file(self.out_dir / name)
        self.current[name] = {"sha256": digest, "size": st.st_size, "mtime_ns": st.st_mtime_ns, "built": built}
        return digest

    def change(self, name: str) -> str:
        """new (the last page did not list it), rebuilt (built or changed since) or unchanged."""
        held, now = self.previous.get(name), self.current.get(name, {})
        if held is None:
            return "new"
        same = held.get("sha256") == now.get("sha256") and held.get("built", "") == now.get("built", "")
        return "unchanged" if same else "rebuilt"

    def keep(self, names: set[str]) -> None:
        """Forget decks that are not listed any more."""
        self.current = {k: v for k, v in self.current.items() if k in names}

    def save(self) -> None:
        """Write the cache atomically (one deck a line)."""
        lines = [f'{{"format": "{STATE_FORMAT}", "decks": {{']
        names = sorted(self.current)
        for i, name in enumerate(names):
            comma = "," if i < len(names) - 1 else ""
            lines.append(f" {json.dumps(name, ensure_ascii=False)}: {json.dumps(self.current[name])}{comma}")
        lines.append("}}\n")
        atomic_write(self.out_dir / STATE_NAME, "\n".join(lines).encode("utf-8"))
