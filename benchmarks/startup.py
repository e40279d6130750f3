"""How long one ``deckgen build`` takes from a cold process, and where the time goes. Asserts nothing.

    python benchmarks/startup.py              # best of 5
    python benchmarks/startup.py --repeat 9

whole process  ``python -m deckgen build`` of the bundled example (no brief, and with the seller
               brief, the default) against ``python -c "import pptx"``, run in turns (one of each per
               round, ``--repeat`` rounds): the best and the median wall time, the median CPU time
               of the child (user + system, less noisy on a shared machine), and the ratios to
               ``import pptx`` (the target is 1.3x or less).
stages         one fresh process per repeat, timing each step of the same build with perf_counter
               (best of ``--repeat`` per stage): importing the CLI, importing the build path,
               reading the profile and prospect, the brand kit, compiling the template, the
               closing library and objections, the first deck, the atomic write.
modules        which of the heavy optional modules a process holds after ``import deckgen.cli``
               and after the whole build.

Every process runs with compiled bytecode (``PYTHONPYCACHEPREFIX`` in a temporary folder, even when
``PYTHONDONTWRITEBYTECODE`` is set), as an installed deckgen does, and with deckgen's cache in a
temporary folder: "warm" runs find the compiled tags, logos and font look-ups the first run left
there, "cold" runs (``DECKGEN_CACHE=off``) redo them.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "deckgen" / "examples"
PROFILE = EXAMPLES / "profile.yaml"
PROSPECT = EXAMPLES / "prospects" / "alamo-family-dental.yaml"
HEAVY = (
    "PIL",
    "PIL.Image",
    "babel.numbers",
    "babel.dates",
    "yaml",
    "urllib.request",
    "http.client",
    "ssl",
    "email.parser",
)

STAGES = r"""
import json, sys, time
t = time.perf_counter
times = {}
start = t()
import deckgen.cli
times["import deckgen.cli"] = t() - start
heavy = %(heavy)r
after_cli = [m for m in heavy if m in sys.modules]
s = t()
from pathlib import Path
from deckgen.build import BuildOptions, DeckBuilder, compile_branded, write_built
from deckgen.brand.kit import read_brand
from deckgen.load.files import read_profile, read_prospect
from deckgen.load.closings import load_library
from deckgen.load.objections import load_objections
times["import build path"] = t() - s
s = t()
profile, _ = read_profile(Path(%(profile)r))
prospect, _ = read_prospect(Path(%(prospect)r))
times["read profile + prospect"] = t() - s
s = t()
brand, _ = read_brand(None)
times["read brand kit"] = t() - s
s = t()
compiled, _ = compile_branded(None, brand)
times["compile template"] = t() - s
s = t()
load_library(); load_objections()
times["closings + objections"] = t() - s
s = t()
builder = DeckBuilder(profile, BuildOptions(), brand=brand, compiled=compiled)
deck = builder.build(prospect)
times["first deck"] = t() - s
s = t()
deck2 = builder.build(prospect)
times["second deck"] = t() - s
s = t()
write_built(Path(%(out)r), deck)
times["write"] = t() - s
times["total"] = t() - start
print(json.dumps({"times": times, "after_cli": after_cli, "after_build": [m for m in heavy if m in sys.modules]}))
"""


def child_env(tmp: Path, cache: bool) -> dict[str, str]:
    """The environment of a measured process: bytecode kept under ``tmp``, deckgen's cache there or off."""
    env = dict(os.environ, PYTHONPYCACHEPREFIX=str(tmp / "pycache"), DECKGEN_CACHE_DIR=str(tmp / "cache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["DECKGEN_CACHE"] = "on" if cache else "off"
    return env


def timed_run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, child CPU) seconds of one run of ``argv``, which must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def whole_processes(runs: dict[str, tuple[list[str], dict[str, str]]], repeat: int) -> dict[str, list]:
    """(wall, CPU) of ``repeat`` rounds of every run in turn, after one unmeasured run of each."""
    for argv, env in runs.values():
        timed_run(argv, env)
    times: dict[str, list] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, (argv, env) in runs.items():
            times[name].append(timed_run(argv, env))
    return times


def stages(repeat: int, out: Path, env: dict[str, str]) -> tuple[dict[str, float], dict]:
    """Best time per stage over ``repeat`` fresh processes, and the last run's module lists."""
    code = STAGES % {"heavy": HEAVY, "profile": str(PROFILE), "prospect": str(PROSPECT), "out": str(out)}
    best: dict[str, float] = {}
    last: dict = {}
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT, env=env
        )
        last = json.loads(done.stdout.strip().splitlines()[-1])
        for name, value in last["times"].items():
            best[name] = min(best.get(name, float("inf")), value)
    return best, last


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        out = root / "deck.pptx"
        warm, cold = child_env(root, cache=True), child_env(root, cache=False)
        build = [sys.executable, "-m", "deckgen", "build", "-p", str(PROFILE), "-x", str(PROSPECT), "-o", str(out)]
        runs = {
            "python -c 'import pptx'": ([sys.executable, "-c", "import pptx"], warm),
            "deckgen build --no-brief, warm cache": ([*build, "--no-brief"], warm),
            "deckgen build --no-brief, cold cache": ([*build, "--no-brief"], cold),
            "deckgen build with brief, warm cache": (build, warm),
            "deckgen build with brief, cold cache": (build, cold),
        }
        times = whole_processes(runs, args.repeat)
        best = {name: min(wall for wall, _ in runs) for name, runs in times.items()}
        wall = {name: statistics.median(wall for wall, _ in runs) for name, runs in times.items()}
        cpu = {name: statistics.median(cpu for _, cpu in runs) for name, runs in times.items()}
        pptx = "python -c 'import pptx'"
        print(f"whole process ({args.repeat} rounds in turn; ratios to import pptx, the target is 1.3x or less)")
        print(f"  {'':<38}{'best wall':>10}{'median wall':>13}{'median CPU':>12}{'best':>7}{'CPU':>7}")
        for name in runs:
            ratios = f"{best[name] / best[pptx]:6.2f}x{cpu[name] / cpu[pptx]:6.2f}x"
            print(
                f"  {name:<38}{best[name] * 1000:7.0f} ms{wall[name] * 1000:10.0f} ms{cpu[name] * 1000:9.0f} ms{ratios}"
            )
        loaded = {}
        for name, env in (("warm cache", warm), ("cold cache", cold)):
            times, loaded[name] = stages(args.repeat, out, env)
            print(f"stages in one process, {name} (best of {args.repeat} per stage)")
            for stage, value in times.items():
                print(f"  {stage:<26}{value * 1000:7.1f} ms")
    print("heavy modules after `import deckgen.cli`:", ", ".join(loaded["warm cache"]["after_cli"]) or "none")
    for name, last in loaded.items():
        print(f"heavy modules after the build, {name}:", ", ".join(last["after_build"]) or "none")


if __name__ == "__main__":
    main()
