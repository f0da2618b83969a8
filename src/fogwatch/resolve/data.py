"""The resolution stage's data files (``resources/resolve/``), read once per process."""

from __future__ import annotations

import csv
import functools
import io
from importlib import resources

from fogwatch.errors import LexiconError

_DIR = "resources/resolve"


def _text(name: str) -> str:
    try:
        return resources.files("fogwatch").joinpath(_DIR, name).read_text(encoding="utf-8")
    except OSError as exc:
        raise LexiconError(f"resolve data file {name} unreadable: {exc}") from exc


def read_rows(name: str) -> list[dict[str, str]]:
    """Rows of a CSV data file, comment lines (``#``) skipped."""
    lines = [line for line in _text(name).splitlines() if line.strip() and not line.startswith("#")]
    return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(io.StringIO("\n".join(lines)))]


@functools.lru_cache(maxsize=1)
def victim_classes() -> dict[str, str]:
    return {r["word"].lower(): r["class"] for r in read_rows("victim_classes.csv")}


@functools.lru_cache(maxsize=1)
def contest_stopwords() -> frozenset[str]:
    return frozenset(
        w.strip().lower() for w in _text("contest_stopwords.txt").splitlines() if w.strip() and not w.startswith("#")
    )


@functools.lru_cache(maxsize=1)
def denial_cues() -> frozenset[str]:
    return frozenset(
        w.strip().lower() for w in _text("denial_cues.txt").splitlines() if w.strip() and not w.startswith("#")
    )


@functools.lru_cache(maxsize=2)
def type_map(name: str) -> dict[tuple[str, str], dict[str, str]]:
    """(type, mode or "") → the row of ``acled_types.csv`` / ``plover_types.csv``."""
    return {(r["type"], r.get("mode", "")): r for r in read_rows(name)}
