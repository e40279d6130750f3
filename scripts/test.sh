#!/usr/bin/env bash
# deckgen's test contract:  bash scripts/test.sh [pytest arguments...]
#
# Installs whatever the test suite needs and is missing, then runs the whole suite with
# `python -m pytest`. Each install step is skipped when already satisfied, so reruns are fast.
#   1. Debian packages (apt-get, as root or through sudo): LibreOffice Impress (headless PDF
#      export), poppler-utils (pdftotext, pdfinfo, pdftoppm), fonts (Noto CJK, Carlito,
#      Liberation 2), chromium (review.html in a real browser); Node.js and npm only when
#      there is no node at all.
#   2. The Open XML SDK validator, npm @ooxml-tools/validate, pinned by the committed
#      package.json + package-lock.json, into ./node_modules (git-ignored) with `npm ci`.
#   3. deckgen itself, editable, with its test extras, at the exact versions of the committed
#      constraints.txt: pip install -c constraints.txt -e '.[test]'.
# Then it runs ruff (lint and format check) and the whole suite (import-layer contracts included).
# Environment: PYTHON (default python, else python3); DECKGEN_SKIP_INSTALL=1 skips 1-3;
# CI=true makes tests that need a missing tool fail instead of skip (see tests/tools.py);
# DECKGEN_SERIAL=1 runs pytest in one process instead of one worker per core (pytest-xdist).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

export DEBIAN_FRONTEND=noninteractive
export PIP_DISABLE_PIP_VERSION_CHECK=1
export PIP_ROOT_USER_ACTION=ignore

PYTHON=${PYTHON:-python}
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3

log() { printf '[test.sh] %s\n' "$*" >&2; }

# Run a command with its output kept in a file; show the end of it only when it fails.
quietly() {
    local out rc=0
    out=$(mktemp)
    "$@" >"$out" 2>&1 || rc=$?
    if ((rc != 0)); then
        tail -n 40 "$out" >&2
        log "failed (exit $rc): $*"
    fi
    rm -f "$out"
    return "$rc"
}

started=$SECONDS

APT_PACKAGES=(
    libreoffice-impress      # soffice --headless --convert-to pdf
    poppler-utils            # pdftotext, pdfinfo, pdftoppm
    fonts-noto-cjk           # Chinese/Japanese/Korean text in PDFs and previews
    fonts-crosextra-carlito  # metric-compatible Calibri
    fonts-liberation2        # metric-compatible Arial, Times New Roman, Courier New
    chromium                 # headless browser for the review.html tests
)

install_system_packages() {
    if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
        log "no apt-get here: install LibreOffice Impress, poppler, Node.js >= 20.19 and the fonts" \
            "yourself; tests that need a missing tool are skipped (they fail under CI=true)"
        return 0
    fi
    local missing=() pkg status
    for pkg in "${APT_PACKAGES[@]}"; do
        status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
        [[ $status == "install ok installed" ]] || missing+=("$pkg")
    done
    if ! command -v node >/dev/null 2>&1; then
        missing+=(nodejs)
        command -v npm >/dev/null 2>&1 || missing+=(npm)
    elif ! command -v npm >/dev/null 2>&1; then
        missing+=(npm)
    fi
    if ((${#missing[@]} == 0)); then
        log "system packages: all present"
        return 0
    fi
    local sudo=()
    if ((EUID != 0)); then
        if command -v sudo >/dev/null 2>&1; then
            sudo=(sudo)
        else
            log "missing ${missing[*]} and not root (no sudo): install them yourself"
            return 0
        fi
    fi
    log "installing system packages: ${missing[*]}"
    local t=$SECONDS
    quietly "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update -q
    quietly "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 -o Dpkg::Use-Pty=0 install -y -q \
        --no-install-recommends "${missing[@]}"
    log "system packages installed in $((SECONDS - t)) s"
}

install_validator() {
    if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
        log "no node/npm: the Open XML validator is not installed"
        return 0
    fi
    local major minor
    IFS=. read -r major minor _ < <(node -p 'process.versions.node')
    if ((major < 20 || (major == 20 && minor < 19))); then
        log "Node.js $(node --version) is too old for @ooxml-tools/validate (needs >= 20.19)"
    fi
    local pinned installed
    pinned=$(node -p 'require("./package.json").devDependencies["@ooxml-tools/validate"]')
    installed=$(node -p 'require("./node_modules/@ooxml-tools/validate/package.json").version' \
        2>/dev/null || true)
    if [[ $installed == "$pinned" && node_modules/.package-lock.json -nt package-lock.json ]]; then
        log "validator: @ooxml-tools/validate $installed present"
        return 0
    fi
    log "installing @ooxml-tools/validate $pinned (npm ci into node_modules/)"
    local t=$SECONDS
    quietly npm ci --no-audit --no-fund
    log "validator installed in $((SECONDS - t)) s"
}

python_ready() {
    # deckgen installed editable from THIS checkout, with its version, scripts and every
    # requirement (dependencies + the test extra) of pyproject.toml satisfied.
    "$PYTHON" - "$ROOT" <<'PY'
import json, sys, tomllib
import importlib.metadata as md
from pathlib import Path

try:
    from packaging.requirements import Requirement
except ImportError:
    from pip._vendor.packaging.requirements import Requirement

root = Path(sys.argv[1]).resolve()
project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]

def stale(why):
    print(f"[test.sh] python: {why}", file=sys.stderr)
    sys.exit(1)

try:
    dist = md.distribution(project["name"])
except md.PackageNotFoundError:
    stale(f"{project['name']} is not installed")
if dist.version != project["version"]:
    stale(f"installed {dist.version}, pyproject says {project['version']}")
direct = json.loads(dist.read_text("direct_url.json") or "{}")
if direct.get("url", "").rstrip("/") != root.as_uri() or not direct.get("dir_info", {}).get("editable"):
    stale(f"not an editable install of {root}")
scripts = {ep.name: ep.value for ep in dist.entry_points if ep.group == "console_scripts"}
if scripts != dict(project.get("scripts", {})):
    stale("console scripts changed")
for line in (root / "constraints.txt").read_text(encoding="utf-8").splitlines():
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    name, _, pinned = line.partition("==")
    try:
        version = md.version(name)
    except md.PackageNotFoundError:
        stale(f"{name} is missing")
    if version != pinned:
        stale(f"{name} {version} is not the pinned {pinned}")
reqs = list(project.get("dependencies", []))
reqs += list(project.get("optional-dependencies", {}).get("test", []))
for text in reqs:
    req = Requirement(text)
    if req.marker and not req.marker.evaluate({"extra": "test"}):
        continue
    try:
        version = md.version(req.name)
    except md.PackageNotFoundError:
        stale(f"{req.name} is missing")
    if req.specifier and not req.specifier.contains(version, prereleases=True):
        stale(f"{req.name} {version} does not satisfy {req.specifier}")
PY
}

install_python() {
    if python_ready; then
        log "python: deckgen and test requirements present"
        return 0
    fi
    log "installing deckgen with test extras (pip install -c constraints.txt -e '.[test]')"
    local t=$SECONDS
    quietly "$PYTHON" -m pip install -c constraints.txt -e '.[test]'
    log "python packages installed in $((SECONDS - t)) s"
}

if [[ ${DECKGEN_SKIP_INSTALL:-} == 1 ]]; then
    log "DECKGEN_SKIP_INSTALL=1: not installing anything"
else
    install_system_packages
    install_validator
    install_python
fi
log "setup done in $((SECONDS - started)) s; running the test suite"

status=0
if [[ $# -eq 0 || ${DECKGEN_LINT:-} == 1 ]]; then
    # The whole suite also means the code is ruff-clean (lint and format).
    "$PYTHON" -m ruff check . || status=$?
    "$PYTHON" -m ruff format --check . || status=$?
    if ((status != 0)); then
        log "ruff found problems (fix with: ruff check --fix . && ruff format .)"
    fi
fi
# Two workers (one per core on CI), tests of one file kept together so module fixtures run once.
# DECKGEN_SERIAL=1 runs in one process (easier to debug).
parallel=(-n auto --dist loadfile)
[[ ${DECKGEN_SERIAL:-} == 1 ]] && parallel=()
"$PYTHON" -m pytest -ra "${parallel[@]}" "$@" || status=$?
if ((status == 5)); then
    log "pytest collected no tests: that is a failure here"
fi
exit "$status"
