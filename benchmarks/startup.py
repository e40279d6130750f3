"""How long one ``deckgen build`` takes from a cold process, and where the time goes. Asserts nothing.

    python benchmarks/startup.py              # best of 5
    python benchmarks/startup.py --repeat 9

whole process  ``python -m deckgen build`` of the bundled example (no brief) against
               ``python -c "import pptx"``, best of ``--repeat`` wall times each, and their ratio
               (the target is 1.3x or less).
stages         one fresh process per repeat, timing each step of the same build with perf_counter
               (best of ``--repeat`` per stage): importing the CLI, importing the build path,
               reading the profile and prospect, the brand kit, compiling the template, the
               closing library and objections, the first deck, the atomic write.
modules        which of the heavy optional modules a process holds after ``import deckgen.cli``
               and after the whole build.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "deckgen" / "examples"
PROFILE = EXAMPLES / "profile.yaml"
PROSPECT = EXAMPLES / "prospects" / "alamo-family-dental.yaml"
HEAVY = ("PIL", "PIL.Image", "babel.numbers", "babel.dates", "urllib.request", "http.client", "ssl", "email.parser")

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


def best_wall(argv: list[str], repeat: int) -> float:
    """The best wall time of ``repeat`` runs of ``argv`` (each must succeed)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
        best = min(best, time.perf_counter() - start)
    return best


def stages(repeat: int, out: Path) -> tuple[dict[str, float], dict]:
    """Best time per stage over ``repeat`` fresh processes, and the last run's module lists."""
    code = STAGES % {"heavy": HEAVY, "profile": str(PROFILE), "prospect": str(PROSPECT), "out": str(out)}
    best: dict[str, float] = {}
    last: dict = {}
    for _ in range(repeat):
        done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT)
        last = json.loads(done.stdout.strip().splitlines()[-1])
        for name, value in last["times"].items():
            best[name] = min(best.get(name, float("inf")), value)
    return best, last


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "deck.pptx"
        pptx = best_wall([sys.executable, "-c", "import pptx"], args.repeat)
        build = best_wall(
            [sys.executable, "-m", "deckgen", "build", "-p", str(PROFILE), "-x", str(PROSPECT)]
            + ["-o", str(out), "--no-brief"],
            args.repeat,
        )
        print(f"whole process (best of {args.repeat})")
        print(f"  python -c 'import pptx'   {pptx * 1000:7.0f} ms")
        print(f"  deckgen build --no-brief  {build * 1000:7.0f} ms")
        print(f"  ratio                     {build / pptx:7.2f}x  (target <= 1.3x)")
        times, last = stages(args.repeat, out)
    print(f"stages in one process (best of {args.repeat} per stage)")
    for name, value in times.items():
        print(f"  {name:<26}{value * 1000:7.1f} ms")
    print("heavy modules after `import deckgen.cli`:", ", ".join(last["after_cli"]) or "none")
    print("heavy modules after the build:          ", ", ".join(last["after_build"]) or "none")


if __name__ == "__main__":
    main()
