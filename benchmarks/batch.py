"""How fast a batch builds decks, against a naive python-pptx loop and a zip-level floor. Asserts nothing.

    python benchmarks/batch.py               # 1,000 decks from the bundled template
    python benchmarks/batch.py --rows 200    # a quick run

Rows are synthesised from the bundled example prospects with varied company names and
written to a CSV. Each variant runs in its own process (so its peak RSS is its own) and
writes every deck to a file in its own folder:

  deckgen, 1 worker    ``prepare_batch`` + ``run_batch`` in-process: read and validate rows, score,
                       choose the closing line, render, atomic write (temp file, fsync,
                       rename), manifest and report
  deckgen, 2 workers   the same with two worker processes (their start-up and template
                       compile included)
  naive python-pptx    per row: open the template, replace each tag's text in the runs
                       of slides, tables and notes, save
  zip floor            per row: copy the template's unchanged members as stored, substitute
                       text into the parts holding tags (and docProps/core.xml) and deflate
                       them, write the zip to a file (same atomic write as deckgen)

Decks/s and ms/deck are for the deck-building phase (deckgen's one-off template compile is
shown apart). Peak RSS comes from ``resource.getrusage``; with workers, their peaks are
sampled from /proc (Linux) while the batch runs.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import re
import resource
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml  # noqa: E402

from deckgen.load.templates import resolve_template
from deckgen.output import atomic_write
from deckgen.resources import examples_dir  # noqa: E402

DATE = dt.date(2026, 11, 25)
VARIANTS = ("deckgen-1", "deckgen-2", "naive", "floor")
LABELS = {
    "deckgen-1": "deckgen, 1 worker",
    "deckgen-2": "deckgen, 2 workers",
    "naive": "naive python-pptx loop",
    "floor": "zip floor",
}
_PREFIXES = (
    "North",
    "Summit",
    "Harbor",
    "Lakeside",
    "Pioneer",
    "Granite",
    "Maple",
    "Cedar",
    "Riverside",
    "Beacon",
    "Oakwood",
    "Silver",
    "Prairie",
    "Coastal",
    "Highland",
    "Evergreen",
)
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)


# --------------------------------------------------------------------------- rows


def synthesise_rows(n: int) -> list[dict[str, str]]:
    """``n`` rows cycling through the example prospects, each company renamed."""
    examples = [
        yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((examples_dir() / "prospects").glob("*.yaml"))
    ]
    rows = []
    for i in range(n):
        p = examples[i % len(examples)]
        size, loc, numbers = p.get("size", {}), p.get("location", {}), p.get("numbers", {})
        buyer = (p.get("decision_makers") or [{}])[0]
        rows.append(
            {
                "id": f"r{i + 1:06d}",
                "company": f"{_PREFIXES[i % len(_PREFIXES)]} {p['company']} {i // len(_PREFIXES) + 1}",
                "industry": p.get("industry", ""),
                "users": size.get("users", ""),
                "endpoints": size.get("endpoints", ""),
                "city": loc.get("city", ""),
                "region": loc.get("region", ""),
                "country": loc.get("country", ""),
                "locale": p.get("locale", ""),
                "it_model": p.get("it_model", ""),
                "it_pain": p.get("it_pain", ""),
                "compliance": "; ".join(p.get("compliance", [])),
                "pain_points": "; ".join(p.get("pain_points", [])),
                "situations": "; ".join(p.get("situations", [])),
                "budget": p.get("budget_per_user_month") or "",
                "decision_maker": buyer.get("name", ""),
                "decision_maker_role": buyer.get("role", ""),
                "annual_revenue": numbers.get("annual_revenue") or "",
                "hourly_wage": numbers.get("hourly_wage") or "",
                "notes": p.get("notes", ""),
            }
        )
    return rows


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def read_rows(path: Path):
    with open(path, newline="", encoding="utf-8") as fh:
        yield from csv.DictReader(fh)


# --------------------------------------------------------------------------- peak memory


class TreeSampler:
    """Samples the resident memory of this process's descendants (Linux /proc) while it runs."""

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.peak_child_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self):
        if Path("/proc/self/status").exists():
            self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _loop(self) -> None:
        me = os.getpid()
        while not self._stop.wait(self.interval):
            parents: dict[int, int] = {}
            rss: dict[int, int] = {}
            for entry in os.scandir("/proc"):
                if not entry.name.isdigit():
                    continue
                try:
                    stat = Path(f"/proc/{entry.name}/stat").read_text()
                    status = Path(f"/proc/{entry.name}/status").read_text()
                except OSError:
                    continue
                pid = int(entry.name)
                parents[pid] = int(stat.rsplit(")", 1)[1].split()[1])
                m = re.search(r"^VmHWM:\s+(\d+)", status, re.M)
                rss[pid] = int(m.group(1)) if m else 0
            for pid, kb in rss.items():
                p, hops = parents.get(pid), 0
                while p and p != me and hops < 10:
                    p, hops = parents.get(p), hops + 1
                if p == me and pid != me:
                    self.peak_child_kb = max(self.peak_child_kb, kb)


# --------------------------------------------------------------------------- variants


def run_deckgen(csv_path: Path, out: Path, jobs: int) -> dict:
    from deckgen.batch.plan import BatchRequest, prepare_batch
    from deckgen.batch.run import run_batch
    from deckgen.build import BuildOptions

    t0 = time.perf_counter()
    plan = prepare_batch(
        BatchRequest(
            input=csv_path,
            profile=examples_dir() / "profile.yaml",
            out_dir=out,
            options=BuildOptions(today=DATE),
            jobs=jobs,
            force=True,
        )
    )
    t1 = time.perf_counter()
    with TreeSampler() as sampler:
        result = run_batch(plan)
    t2 = time.perf_counter()
    failed = result.counts["failed"]
    if failed:
        raise SystemExit(f"{failed} rows failed: {result.failed[0].error}")
    return {"decks": result.counts["built"], "seconds": t2 - t1, "setup": t1 - t0, "child_kb": sampler.peak_child_kb}


def _replace_in_text_frame(tf, values: dict[str, str]) -> None:
    for paragraph in tf.paragraphs:
        for run in paragraph.runs:
            if "{" in run.text:
                run.text = _TAG.sub(lambda m: values.get(m.group(0), ""), run.text)


def _replace_in_shapes(shapes, values: dict[str, str]) -> None:
    for shape in shapes:
        if shape.shape_type is not None and shape.shape_type == 6:  # group
            _replace_in_shapes(shape.shapes, values)
        if shape.has_text_frame:
            _replace_in_text_frame(shape.text_frame, values)
        if getattr(shape, "has_table", False) and shape.has_table:
            for row in shape.table.rows:
                for cell in row.cells:
                    _replace_in_text_frame(cell.text_frame, values)


def run_naive(csv_path: Path, out: Path, template: Path) -> dict:
    from pptx import Presentation

    t0 = time.perf_counter()
    n = 0
    for row in read_rows(csv_path):
        values = {
            "{{ prospect.company }}": row["company"],
            "{{ prospect.industry }}": row["industry"],
            "{{ today | date }}": DATE.isoformat(),
        }
        prs = Presentation(str(template))
        for slide in prs.slides:
            _replace_in_shapes(slide.shapes, values)
            if slide.has_notes_slide:
                _replace_in_text_frame(slide.notes_slide.notes_text_frame, values)
        prs.save(str(out / f"{row['id']}.pptx"))
        n += 1
    return {"decks": n, "seconds": time.perf_counter() - t0, "setup": 0.0, "child_kb": 0}


def _zip(entries: list[tuple[str, int, int, int, bytes]]) -> bytes:
    """(name, method, crc, size, stored bytes) -> a zip, stored bytes written as they are."""
    out, central = bytearray(), bytearray()
    for name, method, crc, size, data in entries:
        encoded = name.encode("utf-8")
        offset = len(out)
        out += (
            struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, method, 0, 33, crc, len(data), size, len(encoded), 0)
            + encoded
            + data
        )
        central += (
            struct.pack(
                "<4sHHHHHHIIIHHHHHII",
                b"PK\x01\x02",
                20,
                20,
                0,
                method,
                0,
                33,
                crc,
                len(data),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), len(out), 0)
    return bytes(out + central + end)


def _load_members(template: Path) -> list[tuple[zipfile.ZipInfo, bytes, bytes | None]]:
    """Each member with its stored (compressed) bytes and, for parts that change, its text."""
    members = []
    with zipfile.ZipFile(template) as zf, open(template, "rb") as fh:
        for info in zf.infolist():
            fh.seek(info.header_offset)
            header = fh.read(30)
            name_len, extra_len = struct.unpack("<HH", header[26:30])
            fh.seek(info.header_offset + 30 + name_len + extra_len)
            stored = fh.read(info.compress_size)
            content = zf.read(info.filename)
            changes = info.filename == "docProps/core.xml" or (
                info.filename.endswith(".xml") and (b"{{" in content or b"{%" in content)
            )
            members.append((info, stored, content if changes else None))
    return members


def run_floor(csv_path: Path, out: Path, template: Path) -> dict:
    members = _load_members(template)
    t0 = time.perf_counter()
    n = 0
    for row in read_rows(csv_path):
        company = row["company"].replace("&", "&amp;").replace("<", "&lt;").encode("utf-8")
        entries = []
        for info, stored, content in members:
            if content is None:
                entries.append((info.filename, info.compress_type, info.CRC, info.file_size, stored))
                continue
            text = company.decode("utf-8")
            data = _TAG.sub(lambda m, text=text: text, content.decode("utf-8")).encode("utf-8")
            comp = zlib.compressobj(6, zlib.DEFLATED, -15)
            entries.append(
                (info.filename, zipfile.ZIP_DEFLATED, zlib.crc32(data), len(data), comp.compress(data) + comp.flush())
            )
        atomic_write(out / f"{row['id']}.pptx", _zip(entries))
        n += 1
    return {
        "decks": n,
        "seconds": time.perf_counter() - t0,
        "setup": 0.0,
        "child_kb": 0,
        "changed_parts": sum(1 for m in members if m[2] is not None),
        "parts": len(members),
    }


def run_variant(name: str, csv_path: Path, out: Path) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    template, _ = resolve_template(None)
    if name == "deckgen-1":
        result = run_deckgen(csv_path, out, 1)
    elif name == "deckgen-2":
        result = run_deckgen(csv_path, out, 2)
    elif name == "naive":
        result = run_naive(csv_path, out, template)
    else:
        result = run_floor(csv_path, out, template)
    result["self_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result["bytes"] = sum(p.stat().st_size for p in out.glob("*.pptx"))
    return result


# --------------------------------------------------------------------------- report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1000, help="decks per variant (default 1000)")
    ap.add_argument("--only", choices=VARIANTS, action="append", help="run only these variants")
    ap.add_argument("--variant", choices=VARIANTS, help=argparse.SUPPRESS)  # one variant, in a child
    ap.add_argument("--csv", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.variant:
        print(json.dumps(run_variant(args.variant, args.csv, args.out)))
        return

    with tempfile.TemporaryDirectory(prefix="deckgen-bench-") as tmp:
        root = Path(tmp)
        csv_path = root / "prospects.csv"
        write_rows(csv_path, synthesise_rows(args.rows))
        print(
            f"{args.rows} decks per variant from the bundled template; CPUs: {os.cpu_count()}; "
            f"Python {sys.version.split()[0]}"
        )
        results: dict[str, dict] = {}
        for name in args.only or VARIANTS:
            proc = subprocess.run(
                [sys.executable, __file__, "--variant", name, "--csv", str(csv_path), "--out", str(root / name)],
                capture_output=True,
                text=True,
            )
            if proc.returncode != 0:
                print(f"{LABELS[name]}: failed\n{proc.stderr[-2000:]}")
                continue
            results[name] = json.loads(proc.stdout.strip().splitlines()[-1])

    print(
        f"\n{'variant':<24}{'decks/s':>9}{'ms/deck':>10}{'setup s':>9}{'peak RSS main':>15}"
        f"{'peak RSS worker':>17}{'avg deck':>10}"
    )
    for name, r in results.items():
        rate = r["decks"] / r["seconds"]
        worker = f"{r['child_kb'] / 1024:.0f} MiB" if r["child_kb"] else "-"
        print(
            f"{LABELS[name]:<24}{rate:>9.1f}{1000 * r['seconds'] / r['decks']:>10.2f}{r['setup']:>9.2f}"
            f"{r['self_kb'] / 1024:>11.0f} MiB{worker:>17}{r['bytes'] / r['decks'] / 1024:>7.0f} KB"
        )
    ms = {name: 1000 * r["seconds"] / r["decks"] for name, r in results.items()}
    if "floor" in ms:
        print(f"\nfloor: {results['floor']['changed_parts']} of {results['floor']['parts']} parts change per deck")
        for name in ("deckgen-1", "deckgen-2", "naive"):
            if name in ms:
                print(f"{LABELS[name]} / floor: {ms[name] / ms['floor']:.1f}x the floor's ms/deck")
    if "deckgen-1" in ms and "deckgen-2" in ms:
        print(f"2-worker speed-up: {ms['deckgen-1'] / ms['deckgen-2']:.2f}x")
    if "deckgen-1" in ms and "naive" in ms:
        print(f"deckgen (1 worker) vs naive python-pptx: {ms['naive'] / ms['deckgen-1']:.1f}x faster")


if __name__ == "__main__":
    main()
