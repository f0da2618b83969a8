#!/usr/bin/env bash
# Audit the pinned dependencies for known vulnerabilities with pip-audit (pinned below).
#
#   scripts/audit.sh [LOCK [pip-audit options]]   default LOCK: requirements.lock at the repository root
#   scripts/audit.sh requirements.lock --strict     a package that could not be audited is a failure too
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

if [ ! -x "$TOOL/bin/pip-audit" ] || ! "$TOOL/bin/pip-audit" --version | grep -q "$PIP_AUDIT_VERSION"; then
  rm -rf "$TOOL"
  "$PY" -m venv "$TOOL"
  "$TOOL/bin/python" -m pip install --quiet --disable-pip-version-check "pip-audit==$PIP_AUDIT_VERSION"
fi
exec "$TOOL/bin/pip-audit" --requirement "$LOCK" --no-deps --disable-pip --progress-spinner off "$@"
