#!/usr/bin/env python3
"""Offline vulnerability audit of requirements.lock against a vendored advisory snapshot.

    python scripts/audit_offline.py [--lock requirements.lock]
                                    [--advisories security/advisories.json]
                                    [--ignore security/audit-ignore.json] [--json]

Every pinned ``name==version`` in the lock is checked against the advisories recorded in
security/advisories.json (facts read from the PyPA advisory database, OSV format: ECOSYSTEM
ranges with introduced / fixed / last_affected events, and explicit ``versions`` lists), and
against the "second source" there (PyPI's project-level ``vulnerabilities``, which only speak
for the latest release, so they count only when the pin *is* that release).

Exit status: 0 nothing known; 1 a known vulnerability that security/audit-ignore.json does not
excuse, or a locked package the snapshot never searched (it would pass unaudited); 2 a lock,
snapshot or ignore file that cannot be read. No network: the snapshot is the whole truth, so
refresh it (see security/README.md) when the lock gains a package or the snapshot grows old.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_LOCK = ROOT / "requirements.lock"
DEFAULT_ADVISORIES = ROOT / "security" / "advisories.json"
DEFAULT_IGNORE = ROOT / "security" / "audit-ignore.json"

# A requirement line of a pip lock: name, optional extras, ==version (hashes follow on
# continuation lines, markers after ';').
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")
# OSV: "0" in an 'introduced' event means "from the very first release".
OSV_ORIGIN = "0"
RANGE_EVENTS = ("introduced", "fixed", "last_affected")


class AuditError(Exception):
    """A lock, snapshot or ignore file that cannot be used for an audit."""


def normalise(name: str) -> str:
    """PEP 503 name: case and runs of -_. do not matter."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _version(text: str, where: str) -> Version:
    try:
        return Version(text)
    except InvalidVersion as exc:
        raise AuditError(f"{where}: {text!r} is not a PEP 440 version") from exc


@dataclass(frozen=True)
class Event:
    """One OSV range event: kind is introduced, fixed or last_affected."""

    kind: str
    version: Version | None  # None: the OSV origin "0", before every release

    def sort_key(self) -> tuple[int, Version | None]:
        return (0, None) if self.version is None else (1, self.version)


@dataclass(frozen=True)
class Advisory:
    id: str
    package: str  # normalised
    aliases: tuple[str, ...]
    summary: str
    ranges: tuple[tuple[Event, ...], ...]  # ECOSYSTEM ranges only
    versions: frozenset[Version]

    def names(self) -> frozenset[str]:
        return frozenset((self.id, *self.aliases))


@dataclass(frozen=True)
class Finding:
    package: str
    version: str
    advisory: str
    aliases: tuple[str, ...]
    summary: str
    fixed: tuple[str, ...]
    ignored_because: str | None = None


@dataclass(frozen=True)
class Ignore:
    id: str
    package: str
    reason: str
    reviewed: str


@dataclass(frozen=True)
class Report:
    audited: int
    advisories: int
    found: tuple[Finding, ...]
    ignored: tuple[Finding, ...]
    unsearched: tuple[str, ...]
    stale_ignores: tuple[Ignore, ...]

    @property
    def ok(self) -> bool:
        return not self.found and not self.unsearched


def read_lock(path: Path) -> dict[str, str]:
    """Normalised name -> pinned version for every requirement line of a pip lock file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise AuditError(f"cannot read {path}: {exc.strerror}") from exc
    pins: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith(("#", "--")):
            continue
        match = PIN.match(line)
        if not match:
            raise AuditError(f"{path}:{number}: not an exact pin: {line[:80]}")
        pins[normalise(match.group(1))] = match.group(2)
    return pins


def _events(raw: Iterable[Mapping[str, str]], where: str) -> tuple[Event, ...]:
    events = []
    for event in raw:
        for kind, value in event.items():
            if kind == "limit":  # an upper bound on the search, not on what is affected
                continue
            if kind not in RANGE_EVENTS:
                raise AuditError(f"{where}: unknown range event {kind!r}")
            if kind == "introduced" and value == OSV_ORIGIN:
                events.append(Event(kind, None))
            else:
                events.append(Event(kind, _version(value, where)))
    return tuple(events)


def parse_advisory(raw: Mapping[str, object]) -> Advisory:
    """One advisory record of security/advisories.json (an OSV subset) as an Advisory."""
    try:
        ident = str(raw["id"])
        package = normalise(str(raw["package"]))
    except KeyError as exc:
        raise AuditError(f"advisory without {exc.args[0]!r}: {raw!r}"[:200]) from exc
    ranges = tuple(
        _events(r.get("events", ()), ident)
        for r in raw.get("ranges", ())  # type: ignore[union-attr]
        if r.get("type") == "ECOSYSTEM"
    )
    versions = frozenset(_version(str(v), ident) for v in raw.get("versions", ()))  # type: ignore[union-attr]
    if not ranges and not versions:
        raise AuditError(f"{ident}: neither an ECOSYSTEM range nor a versions list")
    return Advisory(
        id=ident,
        package=package,
        aliases=tuple(str(a) for a in raw.get("aliases", ())),  # type: ignore[union-attr]
        summary=str(raw.get("summary", "")),
        ranges=ranges,
        versions=versions,
    )


def in_range(events: Sequence[Event], version: Version) -> bool:
    """OSV ECOSYSTEM semantics: walk the events in version order up to `version`.

    introduced at or below the version opens an affected span, fixed at or below it closes
    the span, last_affected strictly below it closes the span (last_affected itself is still
    affected). Events need not be sorted in the file (several spans may share one range).
    """
    affected = False
    for event in sorted(events, key=Event.sort_key):
        if event.kind == "introduced":
            if event.version is None or version >= event.version:
                affected = True
        elif event.kind == "fixed":
            if event.version is not None and version >= event.version:
                affected = False
        elif event.kind == "last_affected":
            if event.version is not None and version > event.version:
                affected = False
    return affected


def affects(advisory: Advisory, version: str) -> bool:
    parsed = _version(version, advisory.package)
    return parsed in advisory.versions or any(in_range(r, parsed) for r in advisory.ranges)


def fixed_versions(advisory: Advisory) -> tuple[str, ...]:
    return tuple(sorted({str(e.version) for r in advisory.ranges for e in r if e.kind == "fixed"}, key=Version))


def read_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AuditError(f"cannot read {path}: {exc.strerror}") from exc
    except json.JSONDecodeError as exc:
        raise AuditError(f"{path}: invalid JSON: {exc}") from exc


def read_ignores(path: Path) -> tuple[Ignore, ...]:
    """The explicit, reasoned exceptions: each needs an id, a package, a reason and a review date."""
    if not path.exists():
        return ()
    raw = read_json(path)
    entries = raw.get("ignore", []) if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        raise AuditError(f"{path}: expected an object with an 'ignore' list")
    ignores = []
    for entry in entries:
        missing = [k for k in ("id", "package", "reason", "reviewed") if not str(entry.get(k, "")).strip()]
        if missing:
            raise AuditError(f"{path}: ignore entry {entry.get('id', '?')} lacks {', '.join(missing)}")
        ignores.append(Ignore(entry["id"], normalise(entry["package"]), entry["reason"].strip(), entry["reviewed"]))
    return tuple(ignores)


def second_source_advisories(snapshot: Mapping[str, object], pins: Mapping[str, str]) -> list[Advisory]:
    """PyPI's project-level vulnerabilities, as advisories on exactly the release they speak for."""
    results = (snapshot.get("second_source") or {}).get("results", {})  # type: ignore[union-attr]
    found = []
    for name, result in results.items():
        latest = str(result.get("latest", ""))
        if pins.get(normalise(name)) != latest:
            continue  # PyPI listed the latest release's vulnerabilities, not those of our pin
        for ident in result.get("vulnerabilities", ()):
            found.append(Advisory(str(ident), normalise(name), (), "listed by PyPI for this release", (),
                                  frozenset({_version(latest, name)})))
    return found


def audit(pins: Mapping[str, str], snapshot: Mapping[str, object], ignores: Sequence[Ignore] = ()) -> Report:
    raw_advisories = snapshot.get("advisories")
    if not isinstance(raw_advisories, list):
        raise AuditError("snapshot has no 'advisories' list")
    advisories = [parse_advisory(a) for a in raw_advisories] + second_source_advisories(snapshot, pins)
    searched = {normalise(n) for n in (snapshot.get("snapshot") or {}).get("packages_searched", ())}  # type: ignore[union-attr]

    found: list[Finding] = []
    ignored: list[Finding] = []
    used: set[Ignore] = set()
    seen: set[tuple[str, frozenset[str]]] = set()
    for advisory in advisories:
        version = pins.get(advisory.package)
        if version is None or not affects(advisory, version):
            continue
        key = (advisory.package, advisory.names())
        if key in seen:  # the same advisory recorded twice
            continue
        seen.add(key)
        finding = Finding(advisory.package, version, advisory.id, advisory.aliases, advisory.summary,
                          fixed_versions(advisory))
        excuse = next((i for i in ignores if i.package == advisory.package and i.id in advisory.names()), None)
        if excuse is None:
            found.append(finding)
        else:
            used.add(excuse)
            ignored.append(Finding(**{**finding.__dict__, "ignored_because": excuse.reason}))
    return Report(
        audited=len(pins),
        advisories=len(raw_advisories),
        found=tuple(found),
        ignored=tuple(ignored),
        unsearched=tuple(sorted(set(pins) - searched)),
        stale_ignores=tuple(i for i in ignores if i not in used),
    )


def render(report: Report, snapshot_date: str) -> str:
    lines = [f"offline audit: {report.audited} pinned packages against {report.advisories} advisories "
             f"(snapshot read {snapshot_date})"]
    for f in report.found:
        fix = f" (fixed in {', '.join(f.fixed)})" if f.fixed else ""
        lines.append(f"  VULNERABLE {f.package}=={f.version}: {f.advisory} {' '.join(f.aliases)}{fix}: {f.summary}")
    for f in report.ignored:
        lines.append(f"  ignored    {f.package}=={f.version}: {f.advisory}: {f.ignored_because}")
    for name in report.unsearched:
        lines.append(f"  UNAUDITED  {name}: not in the snapshot's packages_searched; look it up and add it")
    for i in report.stale_ignores:
        lines.append(f"  note: ignore entry {i.id} ({i.package}) matches nothing any more; remove it")
    lines.append(f"found {len(report.found)}, ignored {len(report.ignored)}, unaudited {len(report.unsearched)}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lock", type=Path, default=DEFAULT_LOCK)
    parser.add_argument("--advisories", type=Path, default=DEFAULT_ADVISORIES)
    parser.add_argument("--ignore", type=Path, default=DEFAULT_IGNORE)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    try:
        pins = read_lock(args.lock)
        snapshot = read_json(args.advisories)
        if not isinstance(snapshot, dict):
            raise AuditError(f"{args.advisories}: expected a JSON object")
        report = audit(pins, snapshot, read_ignores(args.ignore))
    except AuditError as exc:
        print(f"audit error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({
            "audited": report.audited, "advisories": report.advisories,
            "found": [f.__dict__ for f in report.found], "ignored": [f.__dict__ for f in report.ignored],
            "unaudited": list(report.unsearched), "stale_ignores": [i.__dict__ for i in report.stale_ignores],
        }, indent=1))
    else:
        print(render(report, str(snapshot.get("snapshot", {}).get("read_on", "?"))))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
