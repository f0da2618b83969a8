"""Supply chain: every dependency pinned exactly, the lock agrees with pyproject, the lock tools are pinned.

Offline checks only; ``make audit`` (scripts/audit.sh) asks PyPI about advisories and
``scripts/lock.sh`` regenerates the lock with hashes.
"""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LOCK = REPO / "requirements.lock"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;\\]+)")


def normalise(name: str) -> str:
    """PEP 503 name: case and runs of -_. do not matter."""
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> list[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = [req for reqs in project.get("optional-dependencies", {}).values() for req in reqs]
    return [*project["dependencies"], *extras]


def locked() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line.strip())
        if match:
            pins[normalise(match.group(1))] = match.group(3)
    return pins


def test_every_declared_dependency_is_pinned_exactly() -> None:
    loose = [req for req in declared() if not PIN.match(req.strip())]
    assert loose == []


def test_the_lock_holds_every_declared_dependency_at_the_same_version() -> None:
    pins = locked()
    for req in declared():
        match = PIN.match(req.strip())
        assert match, req
        name, version = normalise(match.group(1)), match.group(3)
        assert pins.get(name) == version, f"{req}: lock has {pins.get(name)}"


def test_every_lock_line_is_an_exact_pin_and_hashes_are_all_or_nothing() -> None:
    text = LOCK.read_text(encoding="utf-8")
    requirements = [line for line in text.splitlines()
                    if line.strip() and not line.lstrip().startswith(("#", "--hash"))]
    assert all(PIN.match(line.strip()) for line in requirements), [r for r in requirements if not PIN.match(r.strip())]
    if "--hash=sha256:" in text:  # a lock from scripts/lock.sh: every package carries its hashes
        blocks = re.split(r"\n(?=[A-Za-z0-9])", text)
        assert all("--hash=sha256:" in b for b in blocks if PIN.match(b.strip())), "a package without hashes"


@pytest.mark.parametrize("script, pin", [("lock.sh", "UV_VERSION"), ("audit.sh", "PIP_AUDIT_VERSION")])
def test_the_lock_and_audit_scripts_are_valid_and_pin_their_tool(script: str, pin: str) -> None:
    path = REPO / "scripts" / script
    assert path.stat().st_mode & 0o111, f"{script} is not executable"
    subprocess.run(["bash", "-n", str(path)], check=True)
    assert re.search(rf"^{pin}=\d+\.\d+\.\d+\b", path.read_text(encoding="utf-8"), re.MULTILINE)
