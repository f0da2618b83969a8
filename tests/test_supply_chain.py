"""Supply chain: the lock pins every package with hashes, agrees with pyproject, installs in
hash-checking mode, and has no known vulnerability in the vendored advisory snapshot.

Offline checks only. ``make audit`` runs the same offline audit and then pip-audit
(scripts/audit.sh) where PyPI's per-version JSON API answers; ``scripts/lock.sh`` regenerates
the lock with hashes.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LOCK = REPO / "requirements.lock"
MAKEFILE = REPO / "Makefile"
ADVISORIES = REPO / "security" / "advisories.json"
IGNORE = REPO / "security" / "audit-ignore.json"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;\\]+)")
SHA256 = re.compile(r"--hash=sha256:[0-9a-f]{64}\b")


def _load_audit_module():
    spec = importlib.util.spec_from_file_location("audit_offline", REPO / "scripts" / "audit_offline.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


audit_offline = _load_audit_module()


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


def lock_blocks() -> list[str]:
    """One block per package: its requirement line and the continuation/comment lines under it."""
    text = LOCK.read_text(encoding="utf-8")
    return [b for b in re.split(r"\n(?=[^\s#])", text) if b.strip() and not b.lstrip().startswith("#")]


def install_recipe() -> list[str]:
    """The command lines of the Makefile's $(STAMP) rule (what `make install`/`test`/`run` run)."""
    lines = MAKEFILE.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("$(STAMP):"))
    recipe = []
    for line in lines[start + 1:]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip())
    return recipe


# --- the lock -------------------------------------------------------------------------------

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


def test_every_lock_entry_is_an_exact_pin_with_sha256_hashes() -> None:
    blocks = lock_blocks()
    assert len(blocks) >= len(declared())
    for block in blocks:
        first = block.splitlines()[0].strip()
        assert PIN.match(first), f"not an exact pin: {first}"
        assert SHA256.search(block), f"{first}: no --hash=sha256"
        hash_lines = [line for line in block.splitlines()[1:] if "--hash" in line]
        assert all(SHA256.search(line) for line in hash_lines), f"{first}: a malformed hash line"


def test_the_lock_pins_each_package_once_and_locks_the_installer_and_build_backend() -> None:
    names = [normalise(PIN.match(b.strip()).group(1)) for b in lock_blocks()]
    assert len(names) == len(set(names)), "a package pinned twice"
    # pip (run by `make install`) and setuptools (builds fogwatch, --no-build-isolation) are hash-checked too
    assert {"pip", "setuptools"} <= set(names)


# --- the install --------------------------------------------------------------------------

def test_make_install_checks_hashes_and_resolves_nothing() -> None:
    installs = [line for line in install_recipe() if "pip install" in line]
    from_lock = [line for line in installs if " -r " in line]
    assert len(from_lock) >= 1 and any("requirements.lock" in line for line in from_lock)
    for line in from_lock:
        assert "--require-hashes" in line and "--no-deps" in line, line
    # nothing is installed from an index except through the hash-checked lock
    for line in installs:
        assert " -r " in line or ("--no-deps" in line and "--no-build-isolation" in line and line.endswith("-e .")), line
    assert not any("--upgrade" in line for line in installs), "an unpinned upgrade in make install"


def test_the_awk_in_make_install_extracts_exactly_the_pip_block(tmp_path: Path) -> None:
    awk_line = next(line for line in install_recipe() if line.startswith("awk "))
    program = re.search(r"'([^']*)'", awk_line).group(1)
    out = subprocess.run(["awk", program, str(LOCK)], capture_output=True, text=True, check=True).stdout
    requirement_lines = [line for line in out.splitlines() if line and not line[0].isspace() and not line.startswith("#")]
    assert len(requirement_lines) == 1 and requirement_lines[0].startswith("pip=="), out[:200]
    assert SHA256.search(out)


@pytest.mark.parametrize("script, pin", [("lock.sh", "UV_VERSION"), ("lock.sh", "PIP_VERSION"),
                                         ("audit.sh", "PIP_AUDIT_VERSION")])
def test_the_lock_and_audit_scripts_are_valid_and_pin_their_tool(script: str, pin: str) -> None:
    path = REPO / "scripts" / script
    assert path.stat().st_mode & 0o111, f"{script} is not executable"
    subprocess.run(["bash", "-n", str(path)], check=True)
    assert re.search(rf"^{pin}=\d+(\.\d+)+\b", path.read_text(encoding="utf-8"), re.MULTILINE)


def test_the_lock_script_pins_the_same_pip_as_the_lock() -> None:
    text = (REPO / "scripts" / "lock.sh").read_text(encoding="utf-8")
    assert locked()["pip"] == re.search(r"^PIP_VERSION=(\S+)", text, re.MULTILINE).group(1)


# --- the audit on the real lock -------------------------------------------------------------

def test_the_snapshot_searched_every_locked_package() -> None:
    snapshot = json.loads(ADVISORIES.read_text(encoding="utf-8"))
    searched = {normalise(n) for n in snapshot["snapshot"]["packages_searched"]}
    assert set(locked()) - searched == set(), "refresh security/advisories.json for the new packages"


def test_the_real_lock_has_no_unignored_known_vulnerability() -> None:
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "audit_offline.py")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "found 0," in result.stdout and "unaudited 0" in result.stdout


def test_every_ignore_entry_is_reasoned_and_still_needed() -> None:
    ignores = audit_offline.read_ignores(IGNORE)
    snapshot = json.loads(ADVISORIES.read_text(encoding="utf-8"))
    report = audit_offline.audit(audit_offline.read_lock(LOCK), snapshot, ignores)
    assert all(len(i.reason) >= 20 for i in ignores)
    assert report.stale_ignores == ()


def test_the_snapshot_records_are_well_formed_and_each_names_its_source() -> None:
    snapshot = json.loads(ADVISORIES.read_text(encoding="utf-8"))
    advisories = snapshot["advisories"]
    assert len(advisories) > 0
    for raw in advisories:
        parsed = audit_offline.parse_advisory(raw)  # raises on a bad version or an empty range
        assert re.fullmatch(r"PYSEC-\d{4}-\d+", parsed.id)
        assert raw["source"].startswith(f"vulns/{parsed.package}/{parsed.id}.yaml@")


def test_the_snapshot_finds_known_vulnerable_releases_of_locked_packages() -> None:
    """The vendored data is live: old releases of packages we pin are reported."""
    snapshot = json.loads(ADVISORIES.read_text(encoding="utf-8"))
    old = {"setuptools": "65.5.0", "urllib3": "2.0.5", "jinja2": "2.10", "idna": "3.6"}
    report = audit_offline.audit(old, snapshot)
    flagged = {(f.package, f.advisory) for f in report.found}
    assert ("setuptools", "PYSEC-2022-43012") in flagged
    assert {("urllib3", "PYSEC-2023-192"), ("urllib3", "PYSEC-2023-212")} <= flagged
    assert ("jinja2", "PYSEC-2019-217") in flagged
    assert ("idna", "PYSEC-2024-60") in flagged


# --- the range logic on made-up advisories --------------------------------------------------

def fake(ranges: list[list[dict[str, str]]], versions: list[str] | None = None, ident: str = "FAKE-1"):
    return audit_offline.parse_advisory({
        "id": ident, "package": "Demo_Pkg", "aliases": ["CVE-0000-0001"],
        "ranges": [{"type": "ECOSYSTEM", "events": events} for events in ranges],
        "versions": versions or [],
    })


@pytest.mark.parametrize("version, expected", [
    ("0.1", True), ("1.4.9", True), ("1.5.0", False), ("1.5.0rc1", True), ("2.0", False),
])
def test_introduced_zero_to_fixed(version: str, expected: bool) -> None:
    advisory = fake([[{"introduced": "0"}, {"fixed": "1.5.0"}]])
    assert audit_offline.affects(advisory, version) is expected


@pytest.mark.parametrize("version, expected", [("1.9", False), ("2.0", True), ("2.3", True), ("2.4", False)])
def test_introduced_to_last_affected_includes_the_last(version: str, expected: bool) -> None:
    advisory = fake([[{"introduced": "2.0"}, {"last_affected": "2.3"}]])
    assert audit_offline.affects(advisory, version) is expected


@pytest.mark.parametrize("version, expected", [
    ("1.0", True), ("1.26.17", False), ("1.26.99", False), ("2.0.0", True), ("2.0.5", True), ("2.0.6", False),
])
def test_two_spans_in_one_unsorted_range(version: str, expected: bool) -> None:
    advisory = fake([[{"introduced": "2.0.0"}, {"fixed": "2.0.6"}, {"introduced": "0"}, {"fixed": "1.26.17"}]])
    assert audit_offline.affects(advisory, version) is expected


def test_an_open_range_affects_every_later_release() -> None:
    advisory = fake([[{"introduced": "3.1"}]])
    assert audit_offline.affects(advisory, "99.0")
    assert not audit_offline.affects(advisory, "3.0.9")


def test_an_explicit_versions_list_counts_without_a_range() -> None:
    advisory = fake([], versions=["4.2.0"])
    assert audit_offline.affects(advisory, "4.2")  # PEP 440 equality, not string equality
    assert not audit_offline.affects(advisory, "4.2.1")


def test_separate_ranges_are_alternatives() -> None:
    advisory = fake([[{"introduced": "1.8"}, {"fixed": "1.8.2"}], [{"introduced": "0"}, {"fixed": "1.6.2"}]])
    assert [audit_offline.affects(advisory, v) for v in ("1.6.1", "1.7", "1.8.1", "1.8.2")] == [True, False, True, False]


def snapshot_of(*advisories: dict, searched: tuple[str, ...] = ("demo-pkg",)) -> dict:
    return {"snapshot": {"packages_searched": list(searched)}, "advisories": list(advisories)}


RAW = {"id": "FAKE-7", "package": "demo.pkg", "aliases": ["CVE-0000-0007"], "summary": "made up",
       "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.5"}]}]}


def test_an_affected_pin_is_reported_and_fails_the_cli(tmp_path: Path) -> None:
    lock = tmp_path / "lock.txt"
    lock.write_text("Demo_Pkg==1.4 \\\n    --hash=sha256:" + "0" * 64 + "\n", encoding="utf-8")
    advisories = tmp_path / "adv.json"
    advisories.write_text(json.dumps(snapshot_of(RAW)), encoding="utf-8")
    args = ["--lock", str(lock), "--advisories", str(advisories), "--ignore", str(tmp_path / "none.json")]
    assert audit_offline.main(args) == 1
    lock.write_text("demo-pkg==1.5\n", encoding="utf-8")
    assert audit_offline.main(args) == 0


def test_an_ignore_entry_excuses_by_id_or_alias_for_its_package_only(tmp_path: Path) -> None:
    ignore = audit_offline.Ignore("CVE-0000-0007", "demo-pkg", "made-up reason that is long enough", "2026-11-23")
    report = audit_offline.audit({"demo-pkg": "1.0"}, snapshot_of(RAW), [ignore])
    assert report.found == () and len(report.ignored) == 1 and report.ok
    other = audit_offline.Ignore("CVE-0000-0007", "other-pkg", "made-up reason that is long enough", "2026-11-23")
    report = audit_offline.audit({"demo-pkg": "1.0"}, snapshot_of(RAW), [other])
    assert len(report.found) == 1 and report.stale_ignores == (other,) and not report.ok


def test_an_ignore_entry_without_a_reason_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "ignore.json"
    path.write_text(json.dumps({"ignore": [{"id": "FAKE-7", "package": "demo-pkg", "reason": " ",
                                            "reviewed": "2026-11-23"}]}), encoding="utf-8")
    with pytest.raises(audit_offline.AuditError, match="reason"):
        audit_offline.read_ignores(path)


def test_a_locked_package_the_snapshot_never_searched_fails() -> None:
    report = audit_offline.audit({"demo-pkg": "2.0", "brand-new": "1.0"}, snapshot_of(RAW))
    assert report.found == () and report.unsearched == ("brand-new",) and not report.ok


def test_the_same_advisory_recorded_twice_is_reported_once() -> None:
    twin = {**RAW, "id": "FAKE-8", "aliases": ["CVE-0000-0009"]}
    again = dict(RAW)
    report = audit_offline.audit({"demo-pkg": "1.0"}, snapshot_of(RAW, again, twin))
    assert sorted(f.advisory for f in report.found) == ["FAKE-7", "FAKE-8"]


def test_pypi_listings_count_only_for_the_release_they_describe() -> None:
    snapshot = snapshot_of()
    snapshot["second_source"] = {"results": {"Demo-Pkg": {"latest": "3.0", "vulnerabilities": ["GHSA-fake"]}}}
    assert [f.advisory for f in audit_offline.audit({"demo-pkg": "3.0"}, snapshot).found] == ["GHSA-fake"]
    assert audit_offline.audit({"demo-pkg": "2.9"}, snapshot).found == ()


@pytest.mark.parametrize("bad", [
    {"id": "X", "package": "p", "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "not a version"}]}]},
    {"id": "X", "package": "p", "ranges": [{"type": "ECOSYSTEM", "events": [{"sometime": "1.0"}]}]},
    {"id": "X", "package": "p", "ranges": [{"type": "GIT", "events": [{"introduced": "0"}]}]},
    {"package": "p", "versions": ["1.0"]},
])
def test_malformed_advisories_are_an_error_not_a_pass(bad: dict) -> None:
    with pytest.raises(audit_offline.AuditError):
        audit_offline.parse_advisory(bad)


def test_an_unreadable_lock_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "lock.txt"
    bad.write_text("requests>=2\n", encoding="utf-8")
    assert audit_offline.main(["--lock", str(bad)]) == 2
    assert audit_offline.main(["--lock", str(tmp_path / "missing.txt")]) == 2
