"""What a ``deckgen build`` process loads: a build whose template comes from the cache never loads the
template compiler, and the engine's names load the modules behind them only when used."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# what only compiling a template needs (the tag scanner, theme and graphics checks), and YAML parsing
COMPILE_ONLY = ("deckgen.engine.compile", "deckgen.engine.graphics", "deckgen.engine.templating", "yaml")


def modules_after(code: str, env: dict[str, str] | None = None) -> set[str]:
    """The modules a fresh Python process holds after running ``code``."""
    done = subprocess.run(
        [sys.executable, "-c", f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.splitlines()[-1]))


def build_code(out: Path, *extra: str) -> str:
    argv = ["deckgen", "build", "-p", "deckgen/examples/profile.yaml", "-x"]
    argv += ["deckgen/examples/prospects/alamo-family-dental.yaml", "-o", str(out), "--date", "2026-11-25", *extra]
    return (
        "import runpy\n"
        f"sys.argv = {argv!r}\n"
        "try:\n    runpy.run_module('deckgen', run_name='__main__')\n"
        "except SystemExit as exc:\n    assert not exc.code, exc.code\n"
    )


def test_a_warm_build_renders_without_loading_the_template_compiler(tmp_path):
    env = dict(os.environ, DECKGEN_CACHE_DIR=str(tmp_path / "cache"), DECKGEN_CACHE="on")
    out = tmp_path / "deck.pptx"
    cold = modules_after(build_code(out), env)
    cold_decks = (out.read_bytes(), out.with_name("deck-brief.pptx").read_bytes())
    warm = modules_after(build_code(out), env)
    assert [m for m in COMPILE_ONLY if m in cold] == list(COMPILE_ONLY)  # the check sees a compile
    assert [m for m in COMPILE_ONLY if m in warm] == []
    assert (out.read_bytes(), out.with_name("deck-brief.pptx").read_bytes()) == cold_decks


def test_a_build_with_the_cache_off_still_compiles(tmp_path):
    env = dict(os.environ, DECKGEN_CACHE="off")
    out = tmp_path / "deck.pptx"
    loaded = modules_after(build_code(out, "--no-brief"), env)
    assert "deckgen.engine.compile" in loaded
    assert out.stat().st_size > 0


def test_importing_the_renderer_loads_neither_the_compiler_nor_pillow():
    loaded = modules_after("import deckgen.engine.render, deckgen.engine.frozen, deckgen.engine.media")
    assert [m for m in ("deckgen.engine.compile", "deckgen.engine.graphics", "PIL.Image") if m in loaded] == []


def test_pillow_loads_with_the_first_image_decoded():
    code = (
        "import base64\n"
        "from deckgen.engine import picture_from_bytes\n"
        "assert 'PIL.Image' not in sys.modules\n"
        "png = base64.b64decode('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8'\n"
        "    'AAAAASUVORK5CYII=')\n"
        "pic = picture_from_bytes(png, label='dot.png')\n"
        "assert (pic.width, pic.height) == (1, 1), pic\n"
    )
    assert "PIL.Image" in modules_after(code)


def test_engine_compile_and_render_stay_the_functions_whatever_is_imported_first():
    code = (
        "import deckgen.engine as engine\n"
        "import deckgen.engine.render\n"
        "import deckgen.engine.compile\n"
        "from deckgen.engine import compile, render, CompiledTemplate, Theme\n"
        "assert engine.compile is compile and compile.__module__ == 'deckgen.engine.compile', engine.compile\n"
        "assert engine.render is render and render.__module__ == 'deckgen.engine.render', engine.render\n"
        "assert sys.modules['deckgen.engine.compile'].compile is compile\n"
        "assert sorted(engine.__all__) == sorted(n for n in engine.__all__ if hasattr(engine, n))\n"
    )
    modules_after(code)
