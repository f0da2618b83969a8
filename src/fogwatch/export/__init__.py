"""Exports of the de-duplicated events: ACLED-like CSV, GeoJSON, PLOVER JSON, JSON Lines, Parquet."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import IO, Any

from fogwatch.errors import FogwatchError
from fogwatch.export.acled import write_acled
from fogwatch.export.geojson import write_geojson
from fogwatch.export.jsonl import write_jsonl
from fogwatch.export.parquet import write_parquet
from fogwatch.export.plover import write_plover
from fogwatch.export.rows import event_records

__all__ = ["FORMATS", "ExportError", "export"]

FORMATS = ("acled-csv", "geojson", "plover-json", "jsonl", "parquet")
_TEXT_WRITERS = {
    "acled-csv": write_acled, "geojson": write_geojson, "plover-json": write_plover, "jsonl": write_jsonl,
}


class ExportError(FogwatchError):
    """An export was asked for in a way it cannot be written (unknown format, binary to a terminal)."""


def export(conn: sqlite3.Connection, fmt: str, *, stream: IO[str] | None = None, path: Path | None = None,
           **filters: Any) -> int:
    """Write the events (``filters`` as ``list_events`` takes them) as ``fmt``; return how many."""
    events = event_records(conn, **filters)
    if fmt == "parquet":
        if path is None:
            raise ExportError("parquet is binary: give --output FILE")
        return write_parquet(events, path)
    writer = _TEXT_WRITERS.get(fmt)
    if writer is None:
        raise ExportError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    if path is not None:
        with path.open("w", encoding="utf-8", newline="") as f:
            return writer(events, f)
    if stream is None:
        raise ExportError("export needs a stream or a path")
    return writer(events, stream)
