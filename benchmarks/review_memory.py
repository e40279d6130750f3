"""Peak memory of the review page step (``write_review``, the last step of ``deckgen batch``). Asserts nothing.

    python benchmarks/review_memory.py --rows 100000            # make a synthetic folder, measure, delete it
    python benchmarks/review_memory.py --rows 10000 --repeat 3  # median of 3 runs
    python benchmarks/review_memory.py --rows 100000 --code /tmp/old   # another checkout's deckgen (before/after)

The folder is synthetic, the way the batch leaves one: report.json written by the batch's own
``write_report`` (a row a line, with its walk-away summary), a resume manifest in the line layout and a
tiny stand-in file per deck (no real decks: the page only hashes and links them). Every 20th row failed,
every 7th has a warning, the verdicts cycle through all bands. The folder is made in this process; each
measurement runs ``write_review`` in a fresh child process and prints its peak RSS (``VmHWM``), the wall
time and the page's size.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CHILD = r"""
import re, sys, time
from pathlib import Path
t = time.perf_counter()
from deckgen.review import write_review
outcome = write_review(Path(sys.argv[1]))
seconds = time.perf_counter() - t
hwm = int(re.search(r"^VmHWM:\s+(\d+)", Path("/proc/self/status").read_text(), re.M).group(1))
print(hwm, round(seconds, 2), outcome.path.stat().st_size, len(outcome.data.rows), len(outcome.data.failed))
"""

BANDS = ("A", "B", "C", "qualify_first", "walk_away")


def make_folder(out: Path, rows: int) -> None:
    sys.path.insert(0, str(ROOT))
    from deckgen.batch.manifest_io import DECKS_OPEN, MANIFEST_FORMAT
    from deckgen.batch.report import RowReport, write_report

    out.mkdir(parents=True, exist_ok=True)
    reports = []
    for i in range(2, rows + 2):
        if i % 20 == 0:
            reports.append(
                RowReport(i, f"p{i:06d}", f"Failed Co {i}", "failed", error="no company", error_field="company")
            )
            continue
        band = BANDS[i % len(BANDS)]
        name = f"company-{i:06d}-p{i:06d}.pptx"
        (out / name).write_bytes(f"deck of row {i}".encode())
        warnings = (f"row {i}: the industry is unknown",) if i % 7 == 0 else ()
        reports.append(
            RowReport(i, f"p{i:06d}", f"Company {i} Ltd", "built", name, (i * 37) % 100, band, "one-std", warnings)
        )
    walk = ({"row": r.row, "id": r.id, "company": r.company} for r in reports if r.band == "walk_away")
    meta = {
        "generated": "2026-11-22T21:00:00.000000Z",
        "date": "2026-11-25",
        "brand": "Ridgeline",
        "seconds": 1234.5,
        "summary": {"rows": rows, "walk_away": walk},
        "warnings": [],
    }
    write_report(out / "report.json", out / "report.csv", reports, meta)
    head = {"format": MANIFEST_FORMAT, "deckgen": "bench", "shard": None, "inputs": {}}
    with open(out / ".deckgen-manifest.json", "wb") as fh:
        fh.write((json.dumps(head)[:-1] + DECKS_OPEN).encode())
        sep = "\n "
        for r in reports:
            if r.file:
                entry = {"built": f"2026-11-22T20:{r.row % 60:02d}:00Z", "digest": "0" * 64}
                fh.write(f"{sep}{json.dumps(r.file)}: {json.dumps(entry)}".encode())
                sep = ",\n "
        fh.write(b"\n}}\n")


def measure(folder: Path, code: Path) -> list[str]:
    for name in ("review.html", ".deckgen-review.json"):
        (folder / name).unlink(missing_ok=True)  # every run hashes every deck it shows, as a first page does
    env = {"PYTHONPATH": str(code), "PATH": "/usr/bin:/bin"}
    out = subprocess.run(  # run outside the repo: `python -c` puts the working folder first on the path
        [sys.executable, "-c", _CHILD, str(folder)], env=env, capture_output=True, text=True, cwd=folder
    )
    if out.returncode:
        raise SystemExit(out.stderr)
    return out.stdout.split()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=10000)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--code", type=Path, action="append", help="a folder holding the deckgen package (repeatable)")
    ap.add_argument("--keep", type=Path, help="make (or reuse) the folder here and keep it")
    args = ap.parse_args()
    codes = args.code or [ROOT]
    tmp = None
    folder = args.keep
    if folder is None:
        tmp = tempfile.mkdtemp(prefix="deckgen-review-bench-")
        folder = Path(tmp) / "out"
    if not (folder / "report.json").is_file():
        make_folder(folder, args.rows)
    try:
        results: dict[Path, list[list[str]]] = {c: [] for c in codes}
        for _ in range(args.repeat):  # interleaved, so the machine's load falls on every checkout alike
            for code in codes:
                results[code].append(measure(folder, code))
        for code, runs in results.items():
            peaks = [int(r[0]) / 1024 for r in runs]
            secs = [float(r[1]) for r in runs]
            last = runs[-1]
            print(
                f"{args.rows} rows  {code}: peak RSS median {statistics.median(peaks):.1f} MiB "
                f"(runs {', '.join(f'{p:.1f}' for p in peaks)}), {statistics.median(secs):.2f} s, "
                f"page {int(last[2]) / 1024:.0f} KiB, {last[3]} decks + {last[4]} failed rows shown"
            )
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
