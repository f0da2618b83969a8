"""The shared date-range filter, run against a real SQLite table."""

from __future__ import annotations

import datetime as dt
import sqlite3

from fogwatch.store.filters import date_range


def _days(since, until) -> list[str]:
    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE a (published TEXT)")
    con.executemany("INSERT INTO a VALUES (?)", [("2024-01-01",), ("2024-01-15",), ("2024-02-01",), (None,)])
    where, params = [], {}
    date_range(where, params, "published", since, until)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    return [r[0] for r in con.execute(f"SELECT published FROM a {clause} ORDER BY published", params)]


def test_bounds_are_inclusive_and_accept_dates_or_iso_text():
    assert _days(dt.date(2024, 1, 15), dt.date(2024, 2, 1)) == ["2024-01-15", "2024-02-01"]
    assert _days("2024-01-01", "2024-01-15") == ["2024-01-01", "2024-01-15"]


def test_a_missing_bound_adds_nothing():
    assert _days(None, None) == [None, "2024-01-01", "2024-01-15", "2024-02-01"]
    assert _days(None, "2024-01-01") == ["2024-01-01"]
    where, params = [], {}
    date_range(where, params, "x", None, None)
    assert where == [] and params == {}
