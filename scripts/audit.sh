#!/usr/bin/env bash
# Audit the pinned dependencies for known vulnerabilities with pip-audit (pinned below).
#
#   scripts/audit.sh [LOCK [pip-audit options]]   default LOCK: requirements.lock at the repository root
#   scripts/audit.sh requirements.lock --strict     a package that could not be audited is a failure too
#   AUDIT_IF_REACHABLE=1 scripts/audit.sh ...       skip (exit 0, one line) when PyPI's per-version
#                                                   JSON API does not answer (`make audit` sets it)
#
# This is the online path. The offline audit (scripts/audit_offline.py against the vendored
# snapshot in security/advisories.json) runs in `make test` and first in `make audit`.
#
# pip-audit lives in its own venv (.venv/tools/pip-audit, created once) so it never mixes
# with fogwatch's own dependencies. It resolves nothing (--no-deps --disable-pip): the lock
# already names every package and version. It asks PyPI's JSON API (network) which of
# those versions have advisories; exit 1 means at least one does. A package PyPI does not
# know (e.g. a renamed or private one) is reported as skipped, not as a failure.
set -euo pipefail

PIP_AUDIT_VERSION=2.10.1

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
LOCK="${1:-$ROOT/requirements.lock}"
shift || true
PY="${PYTHON:-python3}"
TOOL="$ROOT/.venv/tools/pip-audit"

# pip-audit asks https://pypi.org/pypi/<name>/<version>/json for every pin; probe with the
# first pin of the lock. Where that 404s or is unreachable pip-audit would audit nothing.
if [ "${AUDIT_IF_REACHABLE:-0}" = 1 ]; then
  FIRST="$(grep -m1 -oE '^[A-Za-z0-9][A-Za-z0-9._-]*==[^ ;\\]+' "$LOCK" || true)"
  URL="https://pypi.org/pypi/${FIRST%%==*}/${FIRST#*==}/json"
  if ! "$PY" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=15)' "$URL" 2>/dev/null; then
    echo "live audit skipped: $URL does not answer here (the offline audit above still applies)"
    exit 0
  fi
fi

if [ ! -x "$TOOL/bin/pip-audit" ] || ! "$TOOL/bin/pip-audit" --version | grep -q "$PIP_AUDIT_VERSION"; then
  rm -rf "$TOOL"
  "$PY" -m venv "$TOOL"
  "$TOOL/bin/python" -m pip install --quiet --disable-pip-version-check "pip-audit==$PIP_AUDIT_VERSION"
fi
exec "$TOOL/bin/pip-audit" --requirement "$LOCK" --no-deps --disable-pip --progress-spinner off "$@"
