"""How the memory of a long batch grows with its rows. Asserts nothing.

    python benchmarks/batch_memory.py --rows 10000               # 1 worker (in this process)
    python benchmarks/batch_memory.py --rows 10000 --jobs 2      # 2 worker processes
    python benchmarks/batch_memory.py --rows 10000 --brief       # decks and seller briefs
    python benchmarks/batch_memory.py --rows 5000 --objects      # also live objects by type, first vs last

The rows are ``benchmarks/batch.py``'s synthetic prospects (every row different). The batch runs
(``prepare_batch`` + ``run_batch``, the library behind ``deckgen batch``, then the command's own last
step, :func:`deckgen.cli.batch.finish_batch`: the summary and review.html) in a fresh child process;
every ``--every`` rows its progress callback reads the RSS of the parent (``/proc/self/status``
VmRSS) and of its workers, so one run gives the curve. At the end: peak RSS (VmHWM) of the parent
when the last row is done, once the manifest and the report are written, and after the last step; of
the largest worker; and the growth in bytes per row between the first and the last sample after
warm-up (``--warm`` rows), which is what a 100,000-row run adds on top of a short one.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def _status_kb(pid: int | str, key: str) -> int:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    m = re.search(rf"^{key}:\s+(\d+)", text, re.M)
    return int(m.group(1)) if m else 0


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _malloc() -> tuple[int, int]:
    """(bytes malloc has handed out, bytes it holds free) in this process (glibc), or (0, 0)."""
    try:
        import ctypes

        class Info(ctypes.Structure):
            _fields_ = [
                (n, ctypes.c_size_t)
                for n in "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost".split()
            ]

        libc = ctypes.CDLL("libc.so.6")
        libc.mallinfo2.restype = Info
        info = libc.mallinfo2()
        return info.uordblks + info.hblkhd, info.fordblks
    except (OSError, AttributeError):
        return 0, 0


def run_child(csv_path: Path, out: Path, jobs: int, brief: bool, every: int, objects: bool, trace: int) -> dict:
    from batch import _plan

    from deckgen.batch.run import run_batch
    from deckgen.cli.app import steady_gc
    from deckgen.cli.batch import finish_batch

    me = os.getpid()
    samples: list[tuple[int, int, int]] = []  # (rows done, parent RSS kB, largest worker RSS kB)
    worker_peak = 0
    kinds: dict[str, Counter] = {}
    snaps: dict[str, object] = {}

    rows_peak = [0]  # the parent's peak when the last row is done (before the manifest and the report)

    def on_progress(p) -> None:
        nonlocal worker_peak
        if p.done == total:
            rows_peak[0] = _status_kb(me, "VmHWM")
        if p.done % every:
            return
        workers = [_status_kb(c, "VmRSS") for c in _children(me)]
        worker_peak = max([worker_peak] + [_status_kb(c, "VmHWM") for c in _children(me)])
        used, free = _malloc()
        samples.append((p.done, _status_kb(me, "VmRSS"), max(workers, default=0), sys.getallocatedblocks(), used, free))
        print(
            f"rows {p.done}: RSS {samples[-1][1] / 1024:.1f} MiB, peak {_status_kb(me, 'VmHWM') / 1024:.1f} MiB, "
            f"worker peak {worker_peak / 1024:.1f} MiB",
            file=sys.stderr,
            flush=True,
        )
        if objects and p.done in (first, last):
            gc.collect()
            kinds[str(p.done)] = Counter(type(o).__name__ for o in gc.get_objects())
        if trace and p.done in (first, last):
            snaps[str(p.done)] = tracemalloc.take_snapshot()

    if trace:
        tracemalloc.start(trace)
    plan = _plan(csv_path, out, jobs, brief)
    total = plan.count_rows()
    first, last = every * max(1, total // every // 5), every * (total // every)
    steady_gc()  # as deckgen batch does before its workers fork
    started = time.perf_counter()
    result = run_batch(plan, on_progress=on_progress)  # includes writing the manifest and the report
    wall = time.perf_counter() - started
    if result.counts["failed"]:
        raise SystemExit(f"{result.counts['failed']} rows failed")
    batch_peak, batch_rss = _status_kb(me, "VmHWM"), _status_kb(me, "VmRSS")
    # the command's last step as deckgen batch runs it: the summary (read from the row log), the compiled
    # templates released, review.html; its printing goes to stderr, away from the JSON on stdout
    started = time.perf_counter()
    with contextlib.redirect_stdout(sys.stderr):
        finish_batch(plan, result, pdf=False, preview=False, thumbnails=False)
    final = time.perf_counter() - started
    found = {
        "rows": total,
        "wall_s": wall,
        "final_s": final,
        "rows_peak_kb": rows_peak[0],
        "batch_peak_kb": batch_peak,
        "batch_end_kb": batch_rss,
        "parent_peak_kb": _status_kb(me, "VmHWM"),
        "worker_peak_kb": worker_peak,
        "samples": samples,
    }
    if objects and len(kinds) == 2:
        a, b = kinds[str(first)], kinds[str(last)]
        found["object_growth"] = {
            "from": first,
            "to": last,
            "types": sorted(((k, b[k] - a[k]) for k in b | a if b[k] != a[k]), key=lambda kv: -abs(kv[1]))[:25],
        }
    if len(snaps) == 2:
        diff = snaps[str(last)].compare_to(snaps[str(first)], "traceback")
        found["traced_growth"] = {
            "from": first,
            "to": last,
            "top": [(d.size_diff, d.count_diff, [str(f) for f in d.traceback][-trace:]) for d in diff[:15]],
        }
    return found


def slope(samples: list, column: int, warm: int) -> float:
    """Bytes per row between the first sample past ``warm`` rows and the last (least squares)."""
    pts = [(s[0], s[column] * 1024) for s in samples if s[0] >= warm]
    if len(pts) < 2:
        return 0.0
    n = len(pts)
    mx, my = sum(x for x, _ in pts) / n, sum(y for _, y in pts) / n
    den = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / den if den else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=5000)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--brief", action="store_true")
    ap.add_argument("--every", type=int, default=0, help="rows between samples (default rows/20)")
    ap.add_argument("--warm", type=int, default=0, help="rows before the slope is measured (default rows/5)")
    ap.add_argument("--objects", action="store_true", help="count live objects by type (slow: a gc pass)")
    ap.add_argument("--trace", type=int, default=0, metavar="FRAMES", help="tracemalloc growth (slow)")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--csv", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    every = args.every or max(1, args.rows // 20)
    if args.child:
        print(json.dumps(run_child(args.csv, args.out, args.jobs, args.brief, every, args.objects, args.trace)))
        return

    from batch import synthesise_rows, write_rows

    with tempfile.TemporaryDirectory(prefix="deckgen-mem-") as tmp:
        csv_path = Path(tmp) / "rows.csv"
        write_rows(csv_path, synthesise_rows(args.rows, seed=17))
        cmd = [sys.executable, __file__, "--child", "--csv", str(csv_path), "--out", str(Path(tmp) / "out")]
        cmd += ["--rows", str(args.rows), "--jobs", str(args.jobs), "--every", str(every)]
        cmd += ["--brief"] * args.brief + ["--objects"] * args.objects + ["--trace", str(args.trace)]
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)  # samples go to stderr as they come
        if proc.returncode:
            raise SystemExit(f"the batch failed ({proc.returncode})")
        r = json.loads(proc.stdout.strip().splitlines()[-1])
    warm = args.warm or args.rows // 5
    print(f"{args.rows:,} rows, {args.jobs} worker(s){', briefs' if args.brief else ''}: {r['wall_s']:.0f} s")
    print(f"{'rows':>8}{'parent MiB':>12}{'worker MiB':>12}{'py blocks':>11}{'malloc used':>13}{'malloc free':>13}")
    for done, parent, worker, blocks, used, free in r["samples"]:
        print(
            f"{done:>8}{parent / 1024:>12.1f}{worker / 1024:>12.1f}{blocks:>11}"
            f"{used / 2**20:>9.1f} MiB{free / 2**20:>9.1f} MiB"
        )
    print(
        f"parent peak: {r['rows_peak_kb'] / 1024:.1f} MiB at the last row, {r['batch_peak_kb'] / 1024:.1f} MiB "
        f"with the manifest and report written (RSS then {r['batch_end_kb'] / 1024:.1f} MiB), "
        f"{r['parent_peak_kb'] / 1024:.1f} MiB after the last step (summary, review.html: {r['final_s']:.1f} s)"
    )
    print(
        f"peak RSS: parent {r['parent_peak_kb'] / 1024:.1f} MiB, worker {r['worker_peak_kb'] / 1024:.1f} MiB; "
        f"growth after {warm:,} rows: parent {slope(r['samples'], 1, warm):.0f} B/row, "
        f"worker {slope(r['samples'], 2, warm):.0f} B/row"
    )
    if "object_growth" in r:
        g = r["object_growth"]
        print(f"live objects, row {g['from']} -> {g['to']}:")
        for kind, n in g["types"]:
            print(f"  {kind:<32}{n:>+9}")
    if "traced_growth" in r:
        g = r["traced_growth"]
        print(f"traced allocations, row {g['from']} -> {g['to']}:")
        for size, count, frames in g["top"]:
            print(f"  {size / 1024:>+9.1f} KiB {count:>+7} blocks")
            for frame in frames:
                print(f"      {frame}")


if __name__ == "__main__":
    main()
