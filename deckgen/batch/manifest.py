"""Resume: what each deck in an output folder was built from, so an unchanged row is skipped.

``.deckgen-manifest.json`` in the output folder maps each deck's file name to a
digest of everything that went into it (:func:`input_fingerprint` for what all
decks share, :func:`row_digest` per row). A shard records its entries in
``.deckgen-manifest-K-of-N.json`` (so shards sharing a folder never overwrite
each other); every run reads all of them, the newest entry per deck wins.
"""

from __future__ import annotations

import datetime as _dt
import functools
import hashlib
import json
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from deckgen import __version__
from deckgen.batch.manifest_io import (
    DECKS_OPEN,
    MANIFEST_FORMAT,
    UnreadableManifest,
    read_manifest,
)
from deckgen.batch.records import RecordStore, split_line
from deckgen.batch.shard import Shard
from deckgen.brand.kit import resolve_brand_dir
from deckgen.build import BuildOptions
from deckgen.errors import DataWarning, InputError
from deckgen.load.templates import resolve_template
from deckgen.model import Prospect
from deckgen.output import atomic_writer, sha256_file, sync_written

__all__ = [
    "MANIFEST_FORMAT",
    "MANIFEST_NAME",
    "DeckRecord",
    "Manifest",
    "combined_digest",
    "input_fingerprint",
    "row_digest",
    "utc_now",
]

MANIFEST_NAME = ".deckgen-manifest.json"


def input_fingerprint(
    profile_path: Path, options: BuildOptions, columns: dict[str, str] | None = None, preset: str = ""
) -> dict[str, str]:
    """Digests of every input shared by all decks of a batch, by name.

    ``deckgen`` (the version), ``profile`` (file bytes), ``template`` (package bytes),
    ``template.yaml``, ``brand`` (every file of the kit, by relative path), ``closing``
    (the override), ``date`` (the deck date; ``options.today`` must be set) and
    ``columns`` (which column feeds which field: the same row read another way is
    another deck).
    """

    def text(value: str) -> str:
        return hashlib.sha256(value.encode("utf-8")).hexdigest()

    pptx, spec = resolve_template(options.template)
    brand_dir = resolve_brand_dir(str(options.brand) if options.brand else None)
    brand = hashlib.sha256()
    for path in sorted(p for p in brand_dir.rglob("*") if p.is_file()):
        brand.update(path.relative_to(brand_dir).as_posix().encode("utf-8") + b"\0")
        brand.update(sha256_file(path).encode("ascii"))
    try:
        profile = sha256_file(Path(profile_path))
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=str(profile_path)) from None
    today = options.today.isoformat() if options.today else ""
    return {
        "deckgen": text(__version__),
        "profile": profile,
        "template": sha256_file(pptx),
        "template.yaml": sha256_file(spec) if spec else text(""),
        "brand": brand.hexdigest(),
        "closing": text(options.closing or ""),
        "date": text(today),
        "columns": text(json.dumps({"preset": preset, "map": columns or {}}, sort_keys=True)),
        **({"master": sha256_file(Path(options.master))} if options.master else {}),
        **({"fit": text(options.fit)} if options.fit else {}),
    }


def combined_digest(fingerprint: dict[str, str]) -> str:
    """One digest for a fingerprint (order of the names does not matter)."""
    return hashlib.sha256(json.dumps(fingerprint, sort_keys=True).encode("ascii")).hexdigest()


def row_digest(common: str, raw: dict[str, str], prospect: Prospect | None = None) -> str:
    """Digest of one deck's inputs: the shared ``common`` digest, the row as read, the prospect's id
    (it defaults to the row number) and the bytes of a local prospect logo."""
    h = hashlib.sha256(common.encode("ascii") + b"\0")
    h.update(json.dumps(raw, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    if prospect is not None:
        h.update(b"\0id\0" + prospect.id.encode("utf-8"))
        if prospect.logo and Path(prospect.logo).is_file():
            stat = Path(prospect.logo).stat()
            h.update(b"\0logo\0" + _logo_digest(prospect.logo, stat.st_size, stat.st_mtime_ns).encode("ascii"))
    return h.hexdigest()


@functools.lru_cache(maxsize=256)
def _logo_digest(path: str, size: int, mtime_ns: int) -> str:
    """A logo's hash, read once while the file is unchanged (many rows often share one logo)."""
    return sha256_file(Path(path))


def looks_complete(deck: Path, size: int | None) -> bool:
    """True when ``deck`` is a regular, non-empty file of the size recorded and ends like a zip does.

    A deck cut short (a copy that stopped, a disk that filled) or emptied is rebuilt, not skipped. An
    entry from an older manifest has no size: there, only an empty file (or no file) is rebuilt.
    """
    try:
        st = os.lstat(deck)
        if not stat.S_ISREG(st.st_mode) or st.st_size == 0:
            return False
        if size is None:
            return True
        if st.st_size != size or st.st_size < 22:
            return False
        with open(deck, "rb") as fh:
            fh.seek(st.st_size - 22)
            return fh.read(4) == b"PK\x05\x06"  # deckgen writes no zip comment: the end record is last
    except OSError:
        return False


def utc_now() -> str:
    """The time now in UTC, ISO 8601 with microseconds (so manifest entries order by it)."""
    return _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(slots=True)
class DeckRecord:
    """A manifest entry: what one deck was built from, and what the report says about it."""

    inputs: str  # row_digest() of everything that went into the deck
    built: str  # UTC time, ISO 8601: the newest record of a deck wins when manifests are merged
    row: int
    id: str
    company: str
    score: int | None
    band: str
    closing: str
    warnings: tuple[str, ...] = ()
    size: int | None = None  # the deck's size in bytes when it was written (None in older manifests)
    # what the report says of the fit (absent in older manifests: the report leaves them empty)
    confidence: float | None = None
    reason: str = ""
    reasons: tuple[str, ...] = ()
    storyline: str = ""
    brief: bool = False

    def to_json(self) -> dict:
        """The entry as the manifest file stores it."""
        fit = {
            "confidence": self.confidence,
            "reason": self.reason,
            "reasons": list(self.reasons),
            "storyline": self.storyline,
            "brief": self.brief,
        }
        return {
            **({"size": self.size} if self.size is not None else {}),
            **(fit if self.storyline else {}),
            "inputs": self.inputs,
            "built": self.built,
            "row": self.row,
            "id": self.id,
            "company": self.company,
            "score": self.score,
            "band": self.band,
            "closing": self.closing,
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_json(cls, data) -> DeckRecord:
        """Raise ValueError unless ``data`` is an entry this version wrote."""
        try:
            record = cls(
                str(data["inputs"]),
                str(data["built"]),
                int(data["row"]),
                str(data["id"]),
                str(data["company"]),
                None if data["score"] is None else int(data["score"]),
                sys.intern(str(data["band"])),
                sys.intern(str(data["closing"])),
                tuple(str(w) for w in data.get("warnings") or ()),
                None if data.get("size") is None else int(data["size"]),
                None if data.get("confidence") is None else float(data["confidence"]),
                str(data.get("reason") or ""),
                tuple(str(r) for r in data.get("reasons") or ()),
                sys.intern(str(data.get("storyline") or "")),
                bool(data.get("brief")),
            )
        except (KeyError, TypeError, ValueError, OverflowError, AttributeError) as exc:
            raise ValueError(f"bad entry ({exc})") from None
        return record


class Manifest:
    """What each deck in an output folder was built from: file name -> :class:`DeckRecord`.

    The file holds ``format``, ``deckgen`` (version), ``shard``, ``inputs`` (the
    shared digests of :func:`input_fingerprint`, to say what changed) and
    ``decks``, one line per deck. Unreadable manifests are ignored with a
    warning: the worst case is a rebuild. The records read from the folder live in
    :attr:`entries`, a :class:`~deckgen.batch.records.RecordStore` (on disk, a few
    dozen bytes a deck in memory), and are read and written a line at a time. The
    decks this run builds that no manifest listed are only written out: their lines
    go to a temporary file (nothing a deck in memory), so a first run of a long list
    holds no table of them; :attr:`entries` holds what was there before.
    """

    def __init__(self, out_dir: Path, shard: Shard | None = None) -> None:
        self.out_dir = out_dir
        self.shard = shard
        self.path = out_dir / (
            MANIFEST_NAME if shard is None else MANIFEST_NAME.replace(".json", f"{shard.suffix}.json")
        )
        self.entries = RecordStore(DeckRecord.from_json)  # every manifest in the folder, merged
        self._built: BinaryIO | None = None  # this run's records, as manifest lines in the order made
        self.previous_inputs: dict[str, str] = {}
        self.inputs: dict[str, str] = {}
        self.warnings: list[DataWarning] = []
        self.dirty = False

    def __del__(self) -> None:
        built = getattr(self, "_built", None)
        if built is not None:
            built.close()

    @classmethod
    def load(cls, out_dir: Path, shard: Shard | None = None) -> Manifest:
        """Read the folder's manifest and every shard's; the newest entry per deck wins.

        The decks this run's own file lists (every deck, without ``--shard``) are the ones its next
        save lists again. A file found unreadable half-way is left out whole: the others are read again.
        """
        paths = [out_dir / MANIFEST_NAME] + sorted(out_dir.glob(".deckgen-manifest-*-of-*.json"))
        skip: set[Path] = set()
        warnings: list[DataWarning] = []
        while True:
            manifest = cls(out_dir, shard)
            bad = next((path for path in paths if path not in skip and not manifest._merge(path)), None)
            warnings += manifest.warnings
            if bad is None:
                manifest.warnings = warnings
                return manifest
            skip.add(bad)

    def _merge(self, path: Path) -> bool:
        """Merge one manifest file into :attr:`entries`; False (with a warning) when it can't be used."""
        mine = path == self.path
        try:
            inputs, decks = read_manifest(path)
            for name, entry in decks:
                record = DeckRecord.from_json(entry)
                held = self.entries.get(name)
                if held is None or record.built > held.built:
                    self.entries.put(name, record.to_json(), own=mine or self.shard is None)
                elif mine:
                    self.entries.set_own(name)
        except FileNotFoundError:
            return True
        except (OSError, json.JSONDecodeError, UnicodeDecodeError, UnreadableManifest, RecursionError) as exc:
            reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)[:200]
            self.warnings.append(
                DataWarning(f"unreadable resume manifest ({reason}); its decks are rebuilt", file=str(path))
            )
            return False
        except (KeyError, TypeError, ValueError, OverflowError, AttributeError):
            self.warnings.append(
                DataWarning("not a deckgen manifest this version can read; its decks are rebuilt", file=str(path))
            )
            return False
        if mine:
            self.previous_inputs = {str(k): str(v) for k, v in dict(inputs).items()}
        return True

    def current(self, name: str, digest: str) -> DeckRecord | None:
        """The record of ``name`` if it was built from ``digest`` and the deck is still there."""
        record = self.entries.get(name)
        if record is None or record.inputs != digest:
            return None
        return record if looks_complete(self.out_dir / name, record.size) else None

    def record(self, name: str, record: DeckRecord) -> None:
        """Note that ``name`` was just built (saved with the next :meth:`save`); a deck is recorded once a run."""
        data = record.to_json()
        if name in self.entries:  # listed before: kept current there, listed from this run's lines
            self.entries.put(name, data, own=False)
            self.entries.set_own(name, False)
        if self._built is None:
            self._built = tempfile.TemporaryFile(prefix="deckgen-built-")
        self._built.seek(0, os.SEEK_END)
        line = json.dumps(name, ensure_ascii=False) + ": " + json.dumps(data, ensure_ascii=False) + "\n"
        self._built.write(line.encode("utf-8"))  # the line a RecordStore would store
        self.dirty = True

    def _lines(self, keep: Callable[[str], bool] | None) -> Iterator[bytes]:
        """The ``"name": {...}`` lines this run's file lists: what it listed before and kept, then this run's."""
        yield from self.entries.own_lines(keep)
        if self._built is None:
            return
        self._built.seek(0)
        for line in self._built:
            if keep is None or keep(split_line(line)[0]):
                yield line[:-1]

    def save(self, *, prune: bool = False) -> None:
        """Write this run's manifest file atomically, a deck a line; ``prune`` drops decks that are gone."""
        head = {
            "format": MANIFEST_FORMAT,
            "deckgen": __version__,
            "shard": str(self.shard) if self.shard else None,
            "inputs": self.inputs,
        }
        keep = (lambda name: (self.out_dir / name).is_file()) if prune else None
        sync_written()  # the decks reach the disk before the manifest that records them
        with atomic_writer(self.path) as fh:
            fh.write((json.dumps(head, ensure_ascii=False)[:-1] + DECKS_OPEN).encode("utf-8"))
            sep = b"\n "
            for line in self._lines(keep):
                fh.write(sep + line)
                sep = b",\n "
            fh.write(b"\n}}\n")
        self.dirty = False

    def changed_inputs(self) -> list[str]:
        """Names of shared inputs that differ from the previous run of this manifest file."""
        if not self.previous_inputs:
            return []
        return [k for k, v in self.inputs.items() if self.previous_inputs.get(k) not in (None, v)]
