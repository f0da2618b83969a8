"""Parquet via pyarrow: the ACLED-like table (same columns as the CSV) with typed columns."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from fogwatch.export.acled import COLUMNS, acled_row

_INT = ("year", "time_precision", "geo_precision", "fatalities", "timestamp", "fatalities_low",
        "fatalities_high", "report_count")
_FLOAT = ("latitude", "longitude")

SCHEMA = pa.schema(
    [(c, pa.int64() if c in _INT else pa.float64() if c in _FLOAT else pa.string()) for c in COLUMNS]
)


def _typed(row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for c in COLUMNS:
        v = row[c]
        if c in _INT:
            out[c] = int(v) if v not in ("", None) else None
        elif c in _FLOAT:
            out[c] = float(v) if v not in ("", None) else None
        else:
            out[c] = str(v)
    return out


def write_parquet(events: Iterable[dict[str, Any]], path: Path) -> int:
    rows = [_typed(acled_row(e)) for e in events]
    table = pa.Table.from_pylist(rows, schema=SCHEMA)
    pq.write_table(table, path)
    return len(rows)
