#!/usr/bin/env bash
# Refresh constraints.txt: resolve the newest releases that pyproject.toml allows (dependencies and
# the test extra) in a brand-new virtualenv and write their exact versions. Run it on purpose,
# then run `bash scripts/test.sh` and commit constraints.txt only when the suite is green.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON=${PYTHON:-python3}
venv=$(mktemp -d)
trap 'rm -rf "$venv"' EXIT
"$PYTHON" -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade pip
"$venv/bin/python" -m pip install -q -e '.[test]'
{
    sed -n '1,3p' constraints.txt
    "$venv/bin/python" -m pip freeze --exclude-editable | LC_ALL=C sort -f
} >constraints.txt.new
mv constraints.txt.new constraints.txt
echo "constraints.txt refreshed; now run: bash scripts/test.sh"
