"""How fast deckgen builds decks, measured against a zip-level floor on the same rows. Asserts nothing.

    python benchmarks/batch.py                    # 1,000 rows: paired blocks, 1 and 2 workers, start-up
    python benchmarks/batch.py --rows 200         # a quick run
    python benchmarks/batch.py --brief            # decks and seller briefs
    python benchmarks/batch.py --big 100000       # also the peak RSS of a 100,000-row batch (minutes)

Every row is a different prospect: company, industry, size, city and country, IT model, compliance,
pain points and situations are drawn from a seeded generator, so no two decks share their prospect text.

paired        in one process, deckgen (``render_and_write``: score, close, costs, render, atomic write)
              and the zip floor (copy the unchanged members as stored, substitute the company into
              the parts holding tags, deflate them, atomic write) run on the same rows in interleaved
              blocks (ABBA order), so machine noise hits both alike. CPU and wall per deck, and the ratio.
batch         ``prepare_batch`` + ``run_batch`` in a fresh process with 1 and 2 workers (best of
              ``--repeat``, in alternating order): wall time, CPU of the whole process tree, peak RSS of the
              parent and workers; the 2-worker speed-up in wall time (best and median) and the one the CPU
              allows on 2 cores (serial CPU / max(busiest process, half the 2-worker CPU): what wall time
              would show on an idle machine, which a shared one rarely is).
start-up      ``deckgen build`` of one deck against ``python -c "import pptx"`` (best of ``--repeat``, after one
              unmeasured run), with compiled bytecode (``PYTHONPYCACHEPREFIX`` in a temporary folder, even
              when ``PYTHONDONTWRITEBYTECODE`` is set) and deckgen's cache in a temporary folder, as an
              installed deckgen runs.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import re
import resource
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATE = dt.date(2026, 11, 25)
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
_WORDS = "North Summit Harbor Lakeside Pioneer Granite Maple Cedar Riverside Beacon Oakwood Silver Prairie".split()
_KINDS = "Dental Medical Legal Accounting Veterinary Logistics Architecture Insurance Retail Nonprofit".split()
_INDUSTRIES = (
    "Dental practice|Medical clinic|Law firm|Accounting|Veterinary clinic|Logistics|Architecture|Insurance agency"
    "|Retail|Non-profit|Manufacturing|Financial advisory|Real estate|Construction|Hospitality"
).split("|")
_PLACES = [  # city, region, country, locale
    ("San Antonio", "TX", "United States", "en-US"),
    ("Austin", "TX", "United States", "en-US"),
    ("Denver", "CO", "United States", "en-US"),
    ("Boston", "MA", "United States", "en-US"),
    ("London", "", "United Kingdom", "en-GB"),
    ("Leeds", "", "United Kingdom", "en-GB"),
    ("Hong Kong", "", "Hong Kong", "zh-HK"),
    ("Toronto", "ON", "Canada", "en-CA"),
    ("Sydney", "NSW", "Australia", "en-AU"),
    ("Berlin", "", "Germany", "de-DE"),
]
_MODELS = ["break_fix", "in_house", "co_managed", "other_msp", "none", ""]
_COMPLIANCE = ["HIPAA", "PCI DSS", "SOC 2", "GDPR", "ISO 27001"]
_SITUATIONS = ["break_fix", "outdated_systems", "compliance_risk", "price_shopper", "slow_decision", "diy_it"]
_PAINS = [
    "The file server crashed {n} times this quarter.",
    "Nobody has tested a restore in {n} months.",
    "Laptops take {n} minutes to start on Monday mornings.",
    "The contractor answers calls after {n} days.",
    "Phishing emails reached {n} staff last month.",
    "{n} machines still run an unsupported Windows.",
    "The audit found {n} accounts without multi-factor sign-in.",
    "Printers at {n} desks fail every week.",
]
_FIRST = "Ana Ben Chloe David Elena Farid Grace Hiro Ines Jonas Kira Liam Mei Noah Omar Priya".split()
_LAST = "Okafor Lindqvist Moreau Tanaka Alvarez Chen Novak Byrne Haddad Kowalski Rossi Singh".split()


# --------------------------------------------------------------------------- rows


def synthesise_rows(n: int, seed: int = 16) -> list[dict[str, str]]:
    """``n`` rows, each a different prospect (seeded, so every run sees the same rows)."""
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        city, region, country, locale = rnd.choice(_PLACES)
        users = rnd.randint(4, 400)
        pains = rnd.sample(_PAINS, rnd.randint(1, 4))
        rows.append(
            {
                "id": f"r{i + 1:06d}",
                "company": f"{rnd.choice(_WORDS)} {rnd.choice(_KINDS)} {rnd.choice(_WORDS)} {i + 1}",
                "industry": rnd.choice(_INDUSTRIES),
                "users": str(users),
                "endpoints": str(users + rnd.randint(0, 60)),
                "city": city,
                "region": region,
                "country": country,
                "locale": locale,
                "it_model": rnd.choice(_MODELS),
                "it_pain": rnd.choice(["true", "false", ""]),
                "compliance": "; ".join(rnd.sample(_COMPLIANCE, rnd.randint(0, 2))),
                "pain_points": "; ".join(p.format(n=rnd.randint(2, 40)) for p in pains),
                "situations": "; ".join(rnd.sample(_SITUATIONS, rnd.randint(0, 2))),
                "budget": str(rnd.choice([0, 60, 90, 125, 150, 200])) if rnd.random() < 0.7 else "",
                "decision_maker": f"{rnd.choice(_FIRST)} {rnd.choice(_LAST)}" if rnd.random() < 0.8 else "",
                "decision_maker_role": rnd.choice(["economic_buyer", "influencer", ""]),
                "annual_revenue": str(rnd.randrange(500_000, 40_000_000, 10_000)) if rnd.random() < 0.6 else "",
                "hourly_wage": str(rnd.randint(18, 90)) if rnd.random() < 0.6 else "",
                "notes": f"Met at the {rnd.choice(_WORDS)} meetup; follow up in week {rnd.randint(1, 52)}.",
            }
        )
    return rows


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


# --------------------------------------------------------------------------- the zip floor


def _zip(entries: list[tuple[str, int, int, int, bytes]]) -> bytes:
    """(name, method, crc, size, stored bytes) -> a zip, stored bytes written as they are."""
    out, central = bytearray(), bytearray()
    for name, method, crc, size, data in entries:
        encoded = name.encode("utf-8")
        offset = len(out)
        head = (20, 0, method, 0, 33, crc, len(data), size, len(encoded), 0)
        out += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", *head) + encoded + data
        central += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, *head, 0, 0, 0, 0, offset) + encoded
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), len(out), 0)
    return bytes(out + central + end)


class Floor:
    """The least a deck can cost: copy unchanged members as stored, deflate the parts holding tags."""

    def __init__(self, template: Path) -> None:
        self.members = []
        with zipfile.ZipFile(template) as zf, open(template, "rb") as fh:
            for info in zf.infolist():
                fh.seek(info.header_offset)
                name_len, extra_len = struct.unpack("<HH", fh.read(30)[26:30])
                fh.seek(info.header_offset + 30 + name_len + extra_len)
                stored = fh.read(info.compress_size)
                content = zf.read(info.filename)
                changes = info.filename == "docProps/core.xml" or (
                    info.filename.endswith(".xml") and (b"{{" in content or b"{%" in content)
                )
                self.members.append((info, stored, content.decode("utf-8") if changes else None))
        self.changed = sum(1 for m in self.members if m[2] is not None)

    def build(self, company: str, path: Path) -> None:
        from deckgen.output import atomic_write

        text = company.replace("&", "&amp;").replace("<", "&lt;")
        entries = []
        for info, stored, content in self.members:
            if content is None:
                entries.append((info.filename, info.compress_type, info.CRC, info.file_size, stored))
                continue
            data = _TAG.sub(lambda m: text, content).encode("utf-8")
            comp = zlib.compressobj(6, zlib.DEFLATED, -15)
            packed = comp.compress(data) + comp.flush()
            entries.append((info.filename, zipfile.ZIP_DEFLATED, zlib.crc32(data), len(data), packed))
        atomic_write(path, _zip(entries))


# --------------------------------------------------------------------------- process-tree sampling


class TreeSampler:
    """Samples a process's descendants (Linux /proc): peak RSS and CPU seconds, from a separate process.

    A process, not a thread: deckgen forks its workers only while the batch process runs no other thread.
    """

    def __enter__(self):
        self.peak_child_kb, self.cpu = 0, {}
        self._proc = subprocess.Popen(
            [sys.executable, __file__, "--variant", "sample", "--jobs", str(os.getpid())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        return self

    def __exit__(self, *exc):
        out, _ = self._proc.communicate("")
        found = json.loads(out)
        self.peak_child_kb, self.cpu = found["peak_kb"], {int(k): v for k, v in found["cpu"].items()}


def sample_tree(root: int, interval: float = 0.02) -> dict:
    """Until stdin closes: the peak RSS and the CPU seconds of each descendant of ``root`` (but this one)."""
    import select

    me, tick = os.getpid(), os.sysconf("SC_CLK_TCK")
    peak, cpu = 0, {}
    while True:
        # only root's descendants, found through /proc/<pid>/task/<tid>/children: scanning all of /proc every
        # tick cost this sampler ~12% of a core, taken from the very cores the workers were measured on
        todo, seen = [root], set()
        while todo:
            pid = todo.pop()
            try:
                tasks = os.listdir(f"/proc/{pid}/task")
            except OSError:
                continue
            for tid in tasks:
                try:
                    kids = Path(f"/proc/{pid}/task/{tid}/children").read_text().split()
                except OSError:
                    continue
                for kid in map(int, kids):
                    if kid not in seen and kid != me:
                        seen.add(kid)
                        todo.append(kid)
        for pid in seen:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            m = re.search(r"^VmHWM:\s+(\d+)", status, re.M)
            peak = max(peak, int(m.group(1)) if m else 0)
            cpu[pid] = max(cpu.get(pid, 0.0), (int(fields[11]) + int(fields[12])) / tick)
        if select.select([sys.stdin], [], [], interval)[0]:
            return {"peak_kb": peak, "cpu": cpu}


# --------------------------------------------------------------------------- variants (each in a child process)


def _plan(csv_path: Path, out: Path, jobs: int, brief: bool):
    from deckgen.batch.plan import BatchRequest, prepare_batch
    from deckgen.build import BuildOptions
    from deckgen.resources import examples_dir

    options = BuildOptions(today=DATE, brief=brief)
    request = BatchRequest(
        input=csv_path, profile=examples_dir() / "profile.yaml", out_dir=out, options=options, jobs=jobs, force=True
    )
    return prepare_batch(request)


def _cpu() -> float:
    return time.process_time()


def run_paired(csv_path: Path, out: Path, brief: bool, block: int) -> dict:
    """deckgen and the floor on the same rows, in interleaved blocks (ABBA)."""
    from deckgen.batch.pool import DeckTask, render_and_write
    from deckgen.load.templates import resolve_template

    plan = _plan(csv_path, out / "deckgen", 1, brief)
    (out / "floor").mkdir(parents=True, exist_ok=True)
    floors = [Floor(resolve_template(None)[0])]
    if brief:
        floors.append(Floor(resolve_template("seller-brief")[0]))
    rows = [rr.prospect for rr in plan.source if rr.prospect is not None]
    (out / "deckgen").mkdir(parents=True, exist_ok=True)
    render_and_write(plan.builder, DeckTask(0, rows[0], str(out / "deckgen" / "warm.pptx")))  # first-deck costs apart

    def deckgen(chunk, start):
        for k, p in enumerate(chunk):
            outcome = render_and_write(plan.builder, DeckTask(start + k, p, str(out / "deckgen" / f"{p.id}.pptx")))
            if not outcome.ok:
                raise SystemExit(f"row {start + k} failed: {outcome.error}")

    def floor(chunk, start):
        for p in chunk:
            for j, f in enumerate(floors):
                f.build(p.company, out / "floor" / f"{p.id}-{j}.pptx")

    times = {"deckgen": [], "floor": []}  # per block: (cpu s, wall s, decks)
    for b, start in enumerate(range(0, len(rows), block)):
        chunk = rows[start : start + block]
        order = (("deckgen", deckgen), ("floor", floor)) if b % 2 == 0 else (("floor", floor), ("deckgen", deckgen))
        for name, fn in order:
            c0, w0 = _cpu(), time.perf_counter()
            fn(chunk, start)
            times[name].append((_cpu() - c0, time.perf_counter() - w0, len(chunk)))
    result = {"decks": len(rows), "changed_parts": floors[0].changed, "parts": len(floors[0].members)}
    for name, blocks in times.items():
        n = sum(d for _, _, d in blocks)
        result[name] = {
            "cpu_ms": 1000 * sum(c for c, _, _ in blocks) / n,
            "wall_ms": 1000 * sum(w for _, w, _ in blocks) / n,
        }
    result["block_ratios"] = [dc / fc for (dc, _, _), (fc, _, _) in zip(times["deckgen"], times["floor"]) if fc > 0]
    return result


def run_batch_variant(csv_path: Path, out: Path, jobs: int, brief: bool) -> dict:
    from deckgen.batch.run import run_batch

    c0, w0 = _cpu(), time.perf_counter()
    plan = _plan(csv_path, out, jobs, brief)
    c1, w1 = _cpu(), time.perf_counter()
    with TreeSampler() as sampler:
        result = run_batch(plan)
    c2, w2 = _cpu(), time.perf_counter()
    if result.counts["failed"]:
        raise SystemExit(f"{result.counts['failed']} rows failed: {result.failed[0].error}")
    children = sum(sampler.cpu.values())
    return {
        "busiest_cpu_s": max([c2 - c1, *sampler.cpu.values()]),  # the process that kept its core busiest
        "decks": result.counts["built"],
        "setup_s": w1 - w0,
        "setup_cpu_s": c1 - c0,
        "wall_s": w2 - w1,
        "cpu_s": (c2 - c1) + children,
        "parent_cpu_s": c2 - c1,
        "self_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "child_kb": sampler.peak_child_kb,
    }


# --------------------------------------------------------------------------- driver


def _child(args: list[str]) -> dict:
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args[:2])} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _startup(root: Path, repeat: int) -> dict:
    from deckgen.resources import examples_dir

    ex = examples_dir()
    build = [sys.executable, "-m", "deckgen", "build", "--profile", str(ex / "profile.yaml")]
    build += ["--prospect", str(ex / "prospects" / "alamo-family-dental.yaml"), "--date", DATE.isoformat()]
    cmds = {
        "import pptx": [sys.executable, "-c", "import pptx"],
        "deckgen build --no-brief": [*build, "--out", str(root / "one.pptx"), "--no-brief"],
        "deckgen build": [*build, "--out", str(root / "one-b.pptx")],
    }
    # ``python -m deckgen`` from the temp folder runs this checkout's deckgen, whatever is installed; with
    # compiled bytecode (kept under ``root`` even when PYTHONDONTWRITEBYTECODE is set) and deckgen's cache in
    # ``root``, as an installed deckgen runs (benchmarks/startup.py does the same)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "PYTHONPYCACHEPREFIX": str(root / "pycache"),
        "DECKGEN_CACHE_DIR": str(root / "cache"),
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["DECKGEN_CACHE"] = "on"
    for cmd in cmds.values():  # one unmeasured run each: bytecode and cache written, as after installing
        subprocess.run(cmd, check=True, capture_output=True, cwd=root, env=env)
    best = {}
    for _ in range(repeat):
        for name, cmd in cmds.items():
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True, cwd=root, env=env)
            best[name] = min(best.get(name, 1e9), time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1000, help="rows (default 1000)")
    ap.add_argument("--repeat", type=int, default=3, help="batch and start-up runs to take the best of (default 3)")
    ap.add_argument("--block", type=int, default=50, help="rows per paired block (default 50)")
    ap.add_argument("--brief", action="store_true", help="build seller briefs too")
    ap.add_argument("--big", type=int, default=0, metavar="ROWS", help="also a 1-worker batch of ROWS rows (peak RSS)")
    ap.add_argument("--skip", action="append", default=[], choices=["paired", "batch", "startup"])
    ap.add_argument("--variant", help=argparse.SUPPRESS)
    ap.add_argument("--csv", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--jobs", type=int, default=1, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.variant == "paired":
        print(json.dumps(run_paired(args.csv, args.out, args.brief, args.block)))
        return
    if args.variant == "sample":
        print(json.dumps(sample_tree(args.jobs)))
        return
    if args.variant == "batch":
        print(json.dumps(run_batch_variant(args.csv, args.out, args.jobs, args.brief)))
        return

    flags = ["--brief"] if args.brief else []
    print(f"{args.rows} rows, every prospect different; CPUs: {os.cpu_count()}; Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory(prefix="deckgen-bench-") as tmp:
        root = Path(tmp)
        csv_path = root / "prospects.csv"
        write_rows(csv_path, synthesise_rows(args.rows))
        if "paired" not in args.skip:
            r = _child(["--variant", "paired", "--csv", str(csv_path), "--out", str(root / "paired"), *flags])
            d, f = r["deckgen"], r["floor"]
            q = statistics.quantiles(r["block_ratios"], n=4) if len(r["block_ratios"]) > 1 else [0, 0, 0]
            print(f"\npaired blocks of {args.block} ({r['changed_parts']} of {r['parts']} template parts hold tags)")
            print(f"{'':<10}{'CPU ms/deck':>12}{'wall ms/deck':>14}")
            print(f"{'deckgen':<10}{d['cpu_ms']:>12.2f}{d['wall_ms']:>14.2f}")
            print(f"{'zip floor':<10}{f['cpu_ms']:>12.2f}{f['wall_ms']:>14.2f}")
            print(
                f"deckgen / floor: CPU {d['cpu_ms'] / f['cpu_ms']:.2f}x (blocks: quartiles "
                f"{q[0]:.2f} / {q[1]:.2f} / {q[2]:.2f}), wall {d['wall_ms'] / f['wall_ms']:.2f}x"
            )
        if "batch" not in args.skip:
            best: dict[int, dict] = {}
            runs: dict[int, list[dict]] = {1: [], 2: []}
            for i in range(args.repeat):
                for jobs in (1, 2) if i % 2 == 0 else (2, 1):  # alternating order: drifting load hits both
                    out = root / f"batch-{jobs}-{i}"
                    argv = ["--variant", "batch", "--csv", str(csv_path), "--out", str(out), "--jobs", str(jobs)]
                    r = _child([*argv, *flags])  # --brief: the seller briefs too, as in the paired blocks
                    runs[jobs].append(r)
                    if jobs not in best or r["wall_s"] < best[jobs]["wall_s"]:
                        best[jobs] = r
                    subprocess.run(["rm", "-rf", str(out)], check=False)
            print(f"\nwhole batch, best of {args.repeat} (setup = read profile, compile templates)")
            print(
                f"{'workers':<9}{'decks/s':>9}{'wall ms/deck':>14}{'CPU ms/deck':>13}{'parent CPU':>12}"
                f"{'setup s':>9}{'RSS parent':>12}{'RSS worker':>12}"
            )
            for jobs, r in best.items():
                worker = f"{r['child_kb'] / 1024:.0f} MiB" if r["child_kb"] else "-"
                print(
                    f"{jobs:<9}{r['decks'] / r['wall_s']:>9.0f}{1000 * r['wall_s'] / r['decks']:>14.2f}"
                    f"{1000 * r['cpu_s'] / r['decks']:>13.2f}{1000 * r['parent_cpu_s'] / r['decks']:>12.2f}"
                    f"{r['setup_s']:>9.2f}{r['self_kb'] / 1024:>8.0f} MiB{worker:>12}"
                )
            print(f"2-worker speed-up (wall): {best[1]['wall_s'] / best[2]['wall_s']:.2f}x (best of each)")
            # each repeat ran a 1-worker and a 2-worker batch back to back: their ratios, as pairs
            pairs = list(zip(runs[1], runs[2]))
            wall = [a["wall_s"] / b["wall_s"] for a, b in pairs]
            print(
                f"2-worker speed-up (wall, median of {len(wall)} pairs): {statistics.median(wall):.2f}x "
                f"(pairs {min(wall):.2f}-{max(wall):.2f}x)"
            )
            # On a shared machine wall time says more about the neighbours than about deckgen. The speed-up the
            # work allows on 2 cores: the serial run's CPU over the busier of (the busiest process, half the
            # 2-worker run's CPU), what wall time would show on an idle machine (median of the pairs).
            cpu = [a["cpu_s"] / max(b["busiest_cpu_s"], b["cpu_s"] / 2) for a, b in pairs]
            busy = statistics.median(max(b["busiest_cpu_s"], b["cpu_s"] / 2) / b["decks"] for _, b in pairs)
            print(
                f"2-worker speed-up the CPU allows on 2 cores: {statistics.median(cpu):.2f}x "
                f"(pairs {min(cpu):.2f}-{max(cpu):.2f}x; per-core busy {1000 * busy:.2f} ms/deck)"
            )
        if args.big:
            big_csv = root / "big.csv"
            write_rows(big_csv, synthesise_rows(args.big, seed=17))
            r = _child(["--variant", "batch", "--csv", str(big_csv), "--out", str(root / "big"), "--jobs", "1"])
            print(
                f"\n{args.big:,} rows, 1 worker: peak RSS {r['self_kb'] / 1024:.0f} MiB, "
                f"{1000 * r['wall_s'] / r['decks']:.2f} ms/deck wall"
            )
        if "startup" not in args.skip:
            s = _startup(root, args.repeat)
            base = s["import pptx"]
            print(f"\none deck, best of {args.repeat} (wall s)")
            for name, sec in s.items():
                print(f"{name:<26}{sec:>7.3f}{sec / base:>7.2f}x")


if __name__ == "__main__":
    main()
