"""De-duplicated events with their reports: the rows every export format is built from."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

from fogwatch.resolve.queries import event_reports, list_events


def event_records(conn: sqlite3.Connection, **filters: Any) -> Iterator[dict[str, Any]]:
    """Each event (``clusters`` row) with ``reports``: outlet, url, title, published, date,
    place, evidence span and sentence, figures and merge reasons of each report."""
    for event in list_events(conn, **filters):
        reports = event_reports(conn, int(event["id"]))
        yield {**event, "reports": reports}


def type_row(table: dict[tuple[str, str], dict[str, str]], type_: str | None, mode: str | None) -> dict[str, str]:
    """The row of a type map for (type, mode), falling back to (type, "") then ("other", "")."""
    return table.get((type_ or "other", mode or "")) or table.get((type_ or "other", "")) or table[("other", "")]
