"""``deckgen release``: copy the decks a reviewer marked ready into ``send/``, only while their hash matches.

review-decisions.csv (exported by review.html) holds one line per marked deck: file, company, decision, remark,
reviewer, decided_at and deck_sha256, the hash of the deck the reviewer looked at. A deck is sent when its line
says ``ready``, it is a deck of this folder's batch report and its bytes still have that hash.

``send/`` is the folder whose files go to prospects, so it receives only customer files:

- the deck, as the prospect's copy (:func:`deckgen.review.clean.prospect_copy`): the same slides without the
  speaker notes (they coach the seller: score, objections, how to close) and without review comments;
- its PDF, when it is at least as new as the deck (LibreOffice exports slides only, no notes pages).

The seller brief (``<deck>-brief.pptx`` and its PDF) never goes; it stays in the output folder, as does the
seller's own copy of the deck with its notes, untouched. ``send/manifest.json`` records, for each deck sent,
who approved it, when, against which hash (``sha256``, the deck they approved), the SHA-256 of every file
written to ``send/`` (``files``, the prospect's copies), the seller files left behind (``kept_back``) and what
was taken out of the deck (``stripped``: notes slides and comment parts); and which decks were not sent and
why. Files an earlier release put in ``send/`` that are no longer approved, and any seller brief found there,
are taken out.
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from deckgen.errors import InputError, UnsafeInputError
from deckgen.output import atomic_write
from deckgen.review.clean import prospect_copy
from deckgen.review.data import report_files, safe_name, stream_merged
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
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)  # (deck, the deck it repeats, why), both sent
    unmarked: int = 0  # decks of the batch report the decisions say nothing about (not reviewed)


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


def _write(dst: Path, data: bytes) -> str:
    atomic_write(dst, data)
    return hashlib.sha256(data).hexdigest()


def _seller_files(deck: Path) -> list[Path]:
    """The seller brief of ``deck`` (.pptx and .pdf): never sent."""
    return [deck.with_name(f"{deck.stem}-brief{ext}") for ext in (".pptx", ".pdf")]


def release(out_dir: Path, decisions: Path, *, report: Path | None = None) -> ReleaseResult:
    """Copy the approved decks of ``out_dir`` (without notes) and their PDFs into ``out_dir/send``; see the module."""
    paths = report_files(out_dir, report)
    marked = read_decisions(decisions)
    decks, unmarked = _report_decks(paths, {d["file"] for d in marked})
    send = out_dir / SEND_DIR
    result = ReleaseResult(send, unmarked=unmarked)
    entries, not_sent = [], []
    for d in marked:
        name, decision = d["file"], d.get("decision", "").lower()
        if decision == "hold":
            result.held.append(name)
            not_sent.append({"file": name, "reason": "on hold", "remark": d.get("remark", "")})
            continue
        data = b""
        if decision != "ready":
            why = f"unknown decision {decision!r} (use ready or hold)"
        elif not safe_name(name) or name not in decks:
            why = "not a deck of this folder's batch report"
        elif not (out_dir / name).is_file():
            why = "the deck is not in the folder any more"
        else:
            why, data = _approved_bytes(out_dir / name, d.get("deck_sha256", "").lower())
        if not why:
            try:
                clean = prospect_copy(data, str(out_dir / name))
            except UnsafeInputError as exc:
                why = f"cannot take the speaker notes out ({exc.message})"
        if why:
            result.refused.append((name, why))
            not_sent.append({"file": name, "reason": why})
            continue
        deck = out_dir / name
        send.mkdir(exist_ok=True)
        files = {name: _write(send / name, clean.data)}
        pdf = deck.with_suffix(".pdf")
        if pdf.is_file() and pdf.stat().st_mtime_ns >= deck.stat().st_mtime_ns:
            files[pdf.name] = _write(send / pdf.name, pdf.read_bytes())
        kept_back = [p.name for p in _seller_files(deck) if p.is_file()]
        for p in _seller_files(send / name):
            if p.is_file():
                p.unlink()
                result.removed.append(p.name)
        result.sent.append(name)
        entries.append(
            {
                "file": name,
                "company": decks[name][1],
                "approved_by": d.get("reviewer", ""),
                "approved_at": d.get("decided_at", ""),
                "remark": d.get("remark", ""),
                "sha256": d["deck_sha256"].lower(),
                "files": files,
                "kept_back": kept_back,
                "stripped": {"notes_slides": clean.notes_slides, "comment_parts": clean.comment_parts},
            }
        )
    result.duplicates = _sent_twice(result.sent, decks)
    for name, original, why in result.duplicates:
        next(e for e in entries if e["file"] == name)["duplicate_of"] = {"file": original, "why": why}
    result.removed = sorted(result.removed + _prune(send, {f for e in entries for f in e["files"]}))
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


def _report_decks(paths: list[Path], names: set[str]) -> tuple[dict[str, tuple[int, str, int | None, str]], int]:
    """File name -> (row, company, the row it duplicates or None, why) of the decks of the report(s) among
    ``names`` (the ones a reviewer marked), and how many of the report's decks are not among them; read a row
    at a time: a 100,000-row report is never held. Two rows naming one deck: the later row wins."""
    decks: dict[str, tuple[int, str, int | None, str]] = {}
    unmarked = 0

    def keep(r: dict) -> None:
        nonlocal unmarked
        name = str(r.get("file"))
        if r.get("status") == "failed" or not r.get("file"):
            return
        if name not in names:
            unmarked += 1
            return
        held = decks.get(name)
        if held is None or r["row"] > held[0]:
            dup = r.get("duplicate_of")
            why = next((str(w) for w in r.get("warnings") or () if f"duplicate of row {dup}" in str(w)), "")
            decks[name] = (r["row"], str(r.get("company") or ""), dup if isinstance(dup, int) else None, why)

    stream_merged(paths, keep)
    return decks, unmarked


def _sent_twice(sent: list[str], decks: dict[str, tuple[int, str, int | None, str]]) -> list[tuple[str, str, str]]:
    """(deck, the deck it repeats, why) for each sent deck whose row repeats the row of another sent deck, or
    the same earlier row as it: the same prospect would get two decks."""
    by_row = {decks[name][0]: name for name in sent}
    first: dict[int, str] = {}  # the row a prospect's sent decks go back to -> its first sent deck
    out = []
    for name in sorted(sent, key=lambda n: decks[n][0]):
        row, _, dup, why = decks[name]
        root = row if dup is None else dup
        twin = by_row.get(dup) if dup is not None else None
        twin = twin or first.get(root)
        if twin:
            out.append((name, twin, why.removeprefix(f"row {row}: ")))
        first.setdefault(root, name)
    return out


def _approved_bytes(deck: Path, approved_sha256: str) -> tuple[str, bytes]:
    """("", the deck's bytes) when they still have the approved hash, else (why not, b"")."""
    try:
        data = deck.read_bytes()
    except OSError as exc:
        return f"cannot read the deck: {exc.strerror}", b""
    if hashlib.sha256(data).hexdigest() != approved_sha256:
        return "the deck changed after it was approved; review it again", b""
    return "", data


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
