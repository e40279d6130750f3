"""The package's shape, as contracts: layers, no import cycles, pure sales logic, small modules.

Every import statement counts, also the ones inside functions (a lazy import is still a
dependency). The rules are the ones docs/DESIGN.md and the README's project layout state.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "deckgen"
MAX_LINES = 420  # "no module over about 400 lines"

# What each layer may import from deckgen (itself always allowed).
ALLOWED = {
    "deckgen.errors": set(),
    "deckgen.model": {"deckgen.errors"},
    "deckgen.resources": set(),
    "deckgen.cache": set(),  # the on-disk start-up cache (compiled tags, logos, font look-ups)
    "deckgen.naming": {"deckgen.errors"},
    "deckgen.output": {"deckgen.errors"},
    "deckgen.engine": {"deckgen.errors"},
    "deckgen.sales": {"deckgen.errors", "deckgen.model"},
    "deckgen.load": {"deckgen.errors", "deckgen.model", "deckgen.naming", "deckgen.resources", "deckgen.cache"},
    "deckgen.brand": {
        "deckgen.errors",
        "deckgen.model",
        "deckgen.naming",
        "deckgen.output",
        "deckgen.resources",
        "deckgen.cache",
        "deckgen.engine",
        "deckgen.load",
    },
    "deckgen.export": {"deckgen.errors", "deckgen.engine", "deckgen.output"},
}

# Names that mean file, process or network I/O in a module that must be pure.
IO_MODULES = {"subprocess", "shutil", "socket", "tempfile", "urllib", "http", "importlib.resources", "glob", "os"}
IO_CALLS = {
    "open",
    "read_text",
    "read_bytes",
    "write_text",
    "write_bytes",
    "iterdir",
    "rglob",
    "glob",
    "mkdir",
    "unlink",
    "exists",
    "is_file",
    "is_dir",
    "stat",
    "lstat",
    "resolve",
}


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


@cache
def _tree(name: str) -> ast.Module:
    return ast.parse(MODULES[name].read_text(encoding="utf-8"), filename=str(MODULES[name]))


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _resolve(name: str, target: str) -> str:
    """The deckgen module an imported name lives in (``deckgen.engine.compile`` for a function in it)."""
    while target and target not in MODULES:
        target = target.rpartition(".")[0]
    return target


@cache
def imports_of(name: str) -> frozenset[str]:
    """Every deckgen module ``name`` imports, at module level or inside functions."""
    out = set()
    for node in ast.walk(_tree(name)):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name if _is_package(name) else name.rpartition(".")[0]
                for _ in range(node.level - 1):
                    base = base.rpartition(".")[0]
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            targets = [f"{module}.{a.name}" for a in node.names] + [module]
        else:
            continue
        for target in targets:
            if target == "deckgen" or target.startswith("deckgen."):
                resolved = _resolve(name, target)
                if resolved and resolved != name and resolved != "deckgen":
                    out.add(resolved)
    return frozenset(out)


def _layer(name: str) -> str:
    for layer in sorted(ALLOWED, key=len, reverse=True):
        if name == layer or name.startswith(layer + "."):
            return layer
    return name


def _in(name: str, layers) -> bool:
    return any(name == layer or name.startswith(layer + ".") for layer in layers)


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_each_layer_imports_only_the_layers_below_it(layer):
    broken = []
    for name in MODULES:
        if _layer(name) != layer:
            continue
        for dep in sorted(imports_of(name)):
            if not _in(dep, {layer} | ALLOWED[layer]):
                broken.append(f"{name} imports {dep}")
    assert broken == []


def test_there_is_no_import_cycle():
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(name: str) -> None:
        state[name] = 1
        stack.append(name)
        for dep in sorted(imports_of(name)):
            if state.get(dep) == 1:
                cycles.append(" -> ".join(stack[stack.index(dep) :] + [dep]))
            elif dep not in state:
                visit(dep)
        stack.pop()
        state[name] = 2

    for name in MODULES:
        if name not in state:
            visit(name)
    assert cycles == []


def test_only_the_cli_imports_click():
    users = sorted(
        name
        for name in MODULES
        if not _in(name, {"deckgen.cli"})
        for node in ast.walk(_tree(name))
        if isinstance(node, ast.Import | ast.ImportFrom)
        and any((getattr(node, "module", None) or a.name).split(".")[0] == "click" for a in node.names)
    )
    assert users == []


@pytest.mark.parametrize("name", sorted(n for n in MODULES if _in(n, {"deckgen.sales", "deckgen.model"})))
def test_the_model_and_the_sales_logic_do_no_io(name):
    found = []
    for node in ast.walk(_tree(name)):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name in IO_MODULES or a.name.split(".")[0] in IO_MODULES]
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            if node.module in IO_MODULES or node.module.split(".")[0] in IO_MODULES:
                found.append(node.module)
            if node.module == "pathlib":
                found.append("pathlib")
        elif isinstance(node, ast.Call):
            func = node.func
            called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if called in IO_CALLS:
                found.append(f"{called}() at line {node.lineno}")
    assert found == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_over_about_400_lines(name):
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{MODULES[name].relative_to(PACKAGE.parent)} has {lines} lines"


def test_the_contracts_see_the_whole_package():
    # A guard for the test itself: it must find the layers it speaks of.
    assert {"deckgen.engine", "deckgen.sales", "deckgen.load", "deckgen.cli"} <= {_layer(n) for n in MODULES} | {
        n.rpartition(".")[0] for n in MODULES
    }
    assert "deckgen.errors" in imports_of("deckgen.engine.compile")
