"""``deckgen release``: copy the decks a reviewer marked ready into ``send/``, only while their hash matches.

review-decisions.csv (exported by review.html) holds one line per marked deck: file, company, decision, remark,
reviewer, decided_at and deck_sha256, the hash of the deck the reviewer looked at. A deck is sent when its line
says ``ready``, it is a deck of this folder's batch report and its bytes still have that hash; then its PDF
and seller brief go with it. ``send/manifest.json`` records who approved which deck, when, against which
hash, and which decks were not sent and why. Files an earlier release put in ``send/`` that are no longer
approved are taken out.
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from deckgen.errors import InputError
from deckgen.output import atomic_write
from deckgen.review.data import merge_reports, report_files, safe_name
from deckgen.review.hashes import sha256_file

__all__ = ["DECISION_COLUMNS", "SEND_DIR", "ReleaseResult", "read_decisions", "release"]

SEND_DIR = "send"
SEND_FORMAT = "deckgen-send/1"
DECISION_COLUMNS = ("file", "company", "decision", "remark", "reviewer", "decided_at", "deck_sha256")
_REQUIRED = ("file", "decision", "deck_sha256")
_FORMULA = "=+-@\t\r|"


def _plain(value: str | None) -> str:
    """A cell as the reviewer typed it: the apostrophe the export put before a formula-like value removed."""
    value = (value or "").strip()
    if len(value) > 1 and value[0] == "'" and value[1] in _FORMULA:
        return value[1:]
    return value


@dataclass
class ReleaseResult:
    """What a release did: decks sent, held, and refused (with the reason)."""

    send_dir: Path
    sent: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def read_decisions(path: Path) -> list[dict[str, str]]:
    """The lines of a review-decisions.csv, by column name (the last line about a deck wins)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError("no such file; export it from review.html (Export decisions)", file=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=str(path)) from None
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text; use the file review.html exported", file=str(path)) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in _REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)}; use the file review.html exported", file=str(path))
    by_file: dict[str, dict[str, str]] = {}
    for line in reader:
        row = {k: _plain(v) for k, v in line.items() if k}
        if row.get("file"):
            by_file[row["file"]] = row
    return list(by_file.values())


def _copy(src: Path, dst: Path) -> str:
    data = src.read_bytes()
    atomic_write(dst, data)
    return hashlib.sha256(data).hexdigest()


def release(out_dir: Path, decisions: Path, *, report: Path | None = None) -> ReleaseResult:
    """Copy the approved decks (and their PDF and brief) of ``out_dir`` into ``out_dir/send``; see the module."""
    _, rows = merge_reports(report_files(out_dir, report))
    decks = {str(r.get("file")): r for r in rows if r.get("status") != "failed" and r.get("file")}
    send = out_dir / SEND_DIR
    result = ReleaseResult(send)
    entries, not_sent = [], []
    for d in read_decisions(decisions):
        name, decision = d["file"], d.get("decision", "").lower()
        if decision == "hold":
            result.held.append(name)
            not_sent.append({"file": name, "reason": "on hold", "remark": d.get("remark", "")})
            continue
        if decision != "ready":
            why = f"unknown decision {decision!r} (use ready or hold)"
        elif not safe_name(name) or name not in decks:
            why = "not a deck of this folder's batch report"
        elif not (out_dir / name).is_file():
            why = "the deck is not in the folder any more"
        elif sha256_file(out_dir / name) != d.get("deck_sha256", "").lower():
            why = "the deck changed after it was approved; review it again"
        else:
            why = ""
        if why:
            result.refused.append((name, why))
            not_sent.append({"file": name, "reason": why})
            continue
        deck = out_dir / name
        send.mkdir(exist_ok=True)
        files = {name: _copy(deck, send / name)}
        for extra in (deck.with_suffix(".pdf"), deck.with_name(f"{deck.stem}-brief.pptx")):
            if extra.is_file() and extra.stat().st_mtime_ns >= deck.stat().st_mtime_ns:
                files[extra.name] = _copy(extra, send / extra.name)
        result.sent.append(name)
        entries.append(
            {
                "file": name,
                "company": str(decks[name].get("company") or ""),
                "approved_by": d.get("reviewer", ""),
                "approved_at": d.get("decided_at", ""),
                "remark": d.get("remark", ""),
                "sha256": d["deck_sha256"].lower(),
                "files": files,
            }
        )
    result.removed = _prune(send, {f for e in entries for f in e["files"]})
    if entries or send.is_dir():
        send.mkdir(exist_ok=True)
        doc = {
            "format": SEND_FORMAT,
            "released": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "decisions": decisions.name,
            "decisions_sha256": sha256_file(decisions),
            "sent": entries,
            "not_sent": not_sent,
        }
        atomic_write(send / "manifest.json", (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    return result


def _prune(send: Path, keep: set[str]) -> list[str]:
    """Remove files an earlier release sent that are not approved now (only files its manifest lists)."""
    try:
        old = json.loads((send / "manifest.json").read_bytes())
        listed = {f for e in old.get("sent", []) for f in e.get("files", {})}
    except (OSError, ValueError, AttributeError, TypeError):
        return []
    removed = []
    for name in sorted(listed - keep):
        if safe_name(name) and (send / name).is_file():
            (send / name).unlink()
            removed.append(name)
    return removed
