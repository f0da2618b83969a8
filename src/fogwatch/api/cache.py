"""Figure series built once per state of the store, shared by the requests that need them.

Series come from the resolve stage's ``figure_series`` and ``figure_flags`` once it has
run on the store, else from ``fogwatch.api.series`` over the cumulative figures.

Building every series reads all cumulative figures (~130 ms SQL + ~100 ms Python for
2,500 figures, measured on 2,000 articles here); the overview, the figures page and
the ``flagged`` filter all need them. ``queries.resolution_state`` identifies the
store's state (highest article and figure, resolution counts); one cached build is
kept per metric filter until it changes.
"""

from __future__ import annotations

import sqlite3
import threading
from typing import Any

from fogwatch.api import queries
from fogwatch.api.series import build_series


class SeriesCache:
    """The series of the store's current state, rebuilt when articles or figures change."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state: tuple[int, ...] | None = None
        self._built: dict[str | None, list[dict[str, Any]]] = {}

    def series(self, conn: sqlite3.Connection, metric: str | None = None) -> list[dict[str, Any]]:
        state = queries.resolution_state(conn)
        with self._lock:
            if state != self._state:
                self._state, self._built = state, {}
            cached = self._built.get(metric)
        if cached is not None:
            return cached
        if queries.is_resolved(conn):
            rows = queries.resolved_series_figures(conn, metric=metric)
        else:
            rows = queries.cumulative_figures(conn, metric=metric)
        built = build_series(rows)
        with self._lock:
            if self._state == state:
                self._built[metric] = built
        return built
