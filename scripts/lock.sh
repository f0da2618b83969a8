#!/usr/bin/env bash
# Regenerate requirements.lock from pyproject.toml: every dependency and extra, exact
# versions, and the sha256 of every file PyPI offers for each (pip then installs in
# hash-checking mode: `pip install --require-hashes -r requirements.lock`).
#
#   scripts/lock.sh [OUT]        default OUT: requirements.lock at the repository root
#
# uv (pinned below) is installed from PyPI into a throwaway venv; nothing else is touched.
# Needs PyPI (network) while it runs; the lock it writes installs offline from a wheel cache.
set -euo pipefail

UV_VERSION=0.13.9        # the uv that resolves; bump deliberately, in its own commit
PIP_VERSION=26.3         # the pip `make install` upgrades the venv to first (locked with hashes like the rest)
PYTHON_VERSION=3.11      # pyproject's requires-python floor: the lock must install there

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${1:-$ROOT/requirements.lock}"
PY="${PYTHON:-python3}"

TOOLS="$(mktemp -d)"
trap 'rm -rf "$TOOLS"' EXIT
"$PY" -m venv "$TOOLS/venv"
"$TOOLS/venv/bin/python" -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"

# pip itself is locked too, so that the installer `make install` upgrades to is hash-checked.
echo "pip==$PIP_VERSION" > "$TOOLS/installer.in"

# --all-extras: the lock also installs the test tools and the optional Ray engine (as before).
"$TOOLS/venv/bin/uv" pip compile "$ROOT/pyproject.toml" "$TOOLS/installer.in" \
  --all-extras \
  --generate-hashes \
  --python-version "$PYTHON_VERSION" \
  --no-header --quiet \
  --output-file "$OUT.tmp"
# The installer input lives in a throwaway directory: name it the same way on every run.
sed "s|-r $TOOLS/installer.in|-r installer.in (pip, scripts/lock.sh)|" "$OUT.tmp" > "$OUT"
rm -f "$OUT.tmp"
echo "wrote $OUT ($(grep -c '==' "$OUT") pinned packages, $(grep -c -- '--hash=' "$OUT") hashes)"
